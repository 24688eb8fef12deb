namespace Nabla.NN;

/// <summary>
/// A pre-norm transformer block (as in GPT-2) over x [N, T, D]: h = x + Attention(LayerNorm(x)); y = h + MLP(LayerNorm(h))
/// with MLP(z) = GELU(z·W₁ + b₁)·W₂ + b₂, W₁ [D, mlpRatio·D]. Dropout (training only) on the attention weights and on
/// each branch before its residual sum.
/// </summary>
public sealed class TransformerBlock : Layer
{
    private readonly LayerNorm _norm1 = new() { Name = "norm1" }, _norm2 = new() { Name = "norm2" };
    private readonly MultiHeadAttention _attention;
    private Dense? _hidden, _out;

    /// <summary>A block with <paramref name="heads"/> attention heads, an MLP <paramref name="mlpRatio"/> times wider than the input, and dropout.</summary>
    public TransformerBlock(int heads, bool causal = true, int mlpRatio = 4, double dropout = 0)
    {
        _attention = new MultiHeadAttention(heads, causal, dropout) { Name = "attention" };
        MlpRatio = mlpRatio > 0 ? mlpRatio : throw new InvalidGraphArgumentException($"TransformerBlock: mlpRatio must be positive, got {mlpRatio}.");
        DropoutRate = dropout;
    }

    /// <summary>The MLP's hidden width as a multiple of the input width.</summary>
    public int MlpRatio { get; }
    /// <summary>The dropout rate in training.</summary>
    public double DropoutRate { get; }
    /// <summary>The attention sub-layer (its <see cref="MultiHeadAttention.Weights"/> show what each position looks at).</summary>
    public MultiHeadAttention Attention => _attention;

    private IEnumerable<Layer> Parts => new Layer?[] { _norm1, _attention, _norm2, _hidden, _out }.OfType<Layer>();

    /// <inheritdoc/>
    public override IReadOnlyList<Node> Variables => Parts.SelectMany(p => p.Variables).ToArray();
    /// <inheritdoc/>
    public override IReadOnlyList<Node> TrainableVariables => Parts.SelectMany(p => p.TrainableVariables).ToArray();

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        int width = KnownDim(x, 2, 3);
        _attention.Seed = unchecked(Seed * 31 + 1);
        _hidden = new Dense(MlpRatio * width, z => z.Gelu()) { Name = "mlp_hidden", Seed = unchecked(Seed * 31 + 2) };
        _out = new Dense(width) { Name = "mlp_out", Seed = unchecked(Seed * 31 + 3) };
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var h = x + Drop(_attention.Apply(_norm1.Apply(x), training), training, 1);
        return h + Drop(_out!.Apply(_hidden!.Apply(_norm2.Apply(h))), training, 2);
    }

    private Node Drop(Node branch, bool training, int index) =>
        training && DropoutRate > 0 ? branch.Dropout(DropoutRate, unchecked(Seed * 31 + 10 + index)) : branch;
}
