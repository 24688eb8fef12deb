namespace Nabla.NN;

/// <summary>
/// Layer normalization (Ba et al. 2016) over the last axis: y = γ·(x − μ)/√(σ² + ε) + β with one γ and β per feature,
/// the same in training and inference. Normalizes with the fused <see cref="Node.LayerNorm"/> op.
/// </summary>
public sealed class LayerNorm(double epsilon = 1e-5) : Layer
{
    /// <summary>The scale γ, one per feature (starts at 1); null until the layer is first applied.</summary>
    public Node? Gamma { get; private set; }
    /// <summary>The shift β, one per feature (starts at 0); null until the layer is first applied.</summary>
    public Node? Beta { get; private set; }

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        int rank = x.Shape.Rank;
        var shape = new Shape(rank >= 1 ? KnownDim(x, rank - 1, rank) : KnownDim(x, 0, 1));
        Gamma = AddVariable(x, "gamma", Tensor.Ones(shape, x.DType));
        Beta = AddVariable(x, "beta", Tensor.Zeros(shape, x.DType));
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => x.LayerNorm(epsilon) * Gamma! + Beta!;
}
