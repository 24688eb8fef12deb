namespace Nabla.NN;

/// <summary>
/// A table of <c>vocabulary</c> learned vectors of width <c>dimension</c>, looked up by integer ids: ids [...] (int32 or
/// int64) → [..., dimension]. The lookup is Gather, so the table's gradient is a scatter-add of dy into the rows read.
/// </summary>
public sealed class Embedding(int vocabulary, int dimension, double stddev = 0.02, DType dtype = DType.Float32) : Layer
{
    /// <summary>The number of rows (distinct ids).</summary>
    public int Vocabulary { get; } = vocabulary > 0 ? vocabulary : throw new InvalidGraphArgumentException($"Embedding: vocabulary must be positive, got {vocabulary}.");
    /// <summary>The width of each vector.</summary>
    public int Dimension { get; } = dimension > 0 ? dimension : throw new InvalidGraphArgumentException($"Embedding: dimension must be positive, got {dimension}.");
    /// <summary>The table [vocabulary, dimension], drawn from N(0, stddev²); null until the layer is first applied.</summary>
    public Node? Table { get; private set; }

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        if (x.DType.IsFloatingPoint())
            throw new DTypeMismatchException($"Embedding '{Name}': the ids '{x.Name}' are {x.DType.Name()}; feed int32 or int64 ids.");
        Table = AddVariable(x.Graph, "table", Tensor.RandomNormal(new Shape(Vocabulary, Dimension), Seed, 0, stddev, dtype));
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => Table!.Gather(x);
}
