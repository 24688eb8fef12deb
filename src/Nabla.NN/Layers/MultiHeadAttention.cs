namespace Nabla.NN;

/// <summary>
/// Multi-head self-attention (Vaswani et al. 2017) over a sequence x [N, T, D]: per head h of width d = D/heads,
/// softmax(Q_h·K_hᵀ/√d)·V_h with Q = x·W_q + b_q, K = x·W_k + b_k, V = x·W_v + b_v, the heads side by side, then
/// ·W_o + b_o. The heads run as one batched MatMul over [N, heads]. Causal: position i attends to positions ≤ i only.
/// Dropout (training only) drops attention weights.
/// </summary>
public sealed class MultiHeadAttention : Layer
{
    private Dense? _query, _key, _value, _output;

    /// <summary>Attention with <paramref name="heads"/> heads (the width must divide by it), optionally causal, with dropout on the weights.</summary>
    public MultiHeadAttention(int heads, bool causal = false, double dropout = 0)
    {
        Heads = heads > 0 ? heads : throw new InvalidGraphArgumentException($"MultiHeadAttention: heads must be positive, got {heads}.");
        Causal = causal;
        DropoutRate = dropout is >= 0 and < 1 ? dropout : throw new InvalidGraphArgumentException($"MultiHeadAttention: dropout must be in [0, 1), got {dropout}.");
    }

    /// <summary>The number of heads.</summary>
    public int Heads { get; }
    /// <summary>True when each position sees only itself and earlier positions.</summary>
    public bool Causal { get; }
    /// <summary>The probability of dropping an attention weight in training.</summary>
    public double DropoutRate { get; }

    /// <summary>The attention weights [N, heads, T, T] of the latest application (rows sum to 1), e.g. to draw them.</summary>
    public Node? Weights { get; private set; }

    /// <inheritdoc/>
    public override IReadOnlyList<Node> Variables => Parts.SelectMany(p => p.Variables).ToArray();
    /// <inheritdoc/>
    public override IReadOnlyList<Node> TrainableVariables => Parts.SelectMany(p => p.TrainableVariables).ToArray();

    private IEnumerable<Layer> Parts => new Layer?[] { _query, _key, _value, _output }.OfType<Layer>();

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        int width = KnownDim(x, 2, 3);
        if (width % Heads != 0)
            throw new ShapeMismatchException($"MultiHeadAttention '{Name}': the width {width} of '{x.Name}' {x.Shape} does not divide into {Heads} heads.");
        (_query, _key, _value, _output) = (Part("query", width, 1), Part("key", width, 2), Part("value", width, 3), Part("output", width, 4));
    }

    private Dense Part(string name, int width, int index) => new(width) { Name = name, Seed = unchecked(Seed * 31 + index) };

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        int length = KnownDim(x, 1, 3), width = x.Shape[2], headWidth = width / Heads;
        Node Split(Dense part) => part.Apply(x).Reshape(-1, length, Heads, headWidth).Transpose(0, 2, 1, 3); // [N, heads, T, d]
        Node q = Split(_query!), k = Split(_key!), v = Split(_value!);
        var scores = q.MatMul(k, false, true) * (1 / Math.Sqrt(headWidth));
        var weights = Causal ? scores.MaskedSoftmax(Node.CausalMask(x.Graph, length)) : scores.Softmax();
        Weights = weights;
        if (training && DropoutRate > 0) weights = weights.Dropout(DropoutRate, Seed);
        var heads = weights.MatMul(v).Transpose(0, 2, 1, 3).Reshape(-1, length, width);
        return _output!.Apply(heads);
    }
}
