namespace Nabla.NN;

/// <summary>
/// Learned positional embeddings: adds row t of a table [maxLength, dimension] to position t of a sequence
/// [N, T, dimension] (T ≤ maxLength, known when the graph is built). The table's gradient is dy summed over the batch.
/// </summary>
public sealed class PositionalEmbedding(int maxLength, double stddev = 0.02) : Layer
{
    /// <summary>The longest sequence the table covers.</summary>
    public int MaxLength { get; } = maxLength > 0 ? maxLength : throw new InvalidGraphArgumentException($"PositionalEmbedding: maxLength must be positive, got {maxLength}.");
    /// <summary>The table [maxLength, dimension]; null until the layer is first applied.</summary>
    public Node? Table { get; private set; }

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        int width = KnownDim(x, 2, 3);
        Table = AddVariable(x, "table", Tensor.RandomNormal(new Shape(MaxLength, width), Seed, 0, stddev, x.DType));
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        int length = KnownDim(x, 1, 3);
        if (length > MaxLength)
            throw new ShapeMismatchException($"PositionalEmbedding '{Name}': the sequence '{x.Name}' {x.Shape} is longer than the table's {MaxLength} positions.");
        return x + (length == MaxLength ? Table! : Table!.Slice([0, 0], [length, -1]));
    }
}
