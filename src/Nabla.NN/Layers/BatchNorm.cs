namespace Nabla.NN;

/// <summary>
/// Batch normalization (Ioffe and Szegedy 2015) over the channel axis 1 of [N, C] or [N, C, H, W] input:
/// y = γ·(x − μ)/√(σ² + ε) + β. Training mode uses the batch's μ and σ² and updates the moving averages
/// (m ← momentum·m + (1 − momentum)·batch value, by Assign); inference uses the moving averages.
/// </summary>
public sealed class BatchNorm(double momentum = 0.99, double epsilon = 1e-3) : Layer
{
    /// <summary>The scale γ, one per channel; null until the layer is first applied.</summary>
    public Node? Gamma { get; private set; }
    /// <summary>The shift β, one per channel; null until the layer is first applied.</summary>
    public Node? Beta { get; private set; }
    /// <summary>The moving average of the batch means (not trained; updated by <see cref="Layer.UpdateOps"/>).</summary>
    public Node? MovingMean { get; private set; }
    /// <summary>The moving average of the batch variances (not trained; updated by <see cref="Layer.UpdateOps"/>).</summary>
    public Node? MovingVariance { get; private set; }

    /// <inheritdoc/>
    protected override string Settings => $"momentum={momentum}, epsilon={epsilon}";

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        if (x.Shape.Rank is not (2 or 4))
            throw new ShapeMismatchException($"BatchNorm '{Name}': the input '{x.Name}' has shape {x.Shape}; it needs [N, C] or [N, C, H, W].");
        var shape = new Shape(KnownDim(x, 1, x.Shape.Rank));
        Gamma = AddVariable(x, "gamma", Tensor.Ones(shape, x.DType));
        Beta = AddVariable(x, "beta", Tensor.Zeros(shape, x.DType));
        MovingMean = AddVariable(x, "moving_mean", Tensor.Zeros(shape, x.DType), trainable: false);
        MovingVariance = AddVariable(x, "moving_variance", Tensor.Ones(shape, x.DType), trainable: false);
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        int channels = x.Shape[1];
        int[] axes = x.Shape.Rank == 2 ? [0] : [0, 2, 3];
        int[] statShape = x.Shape.Rank == 2 ? [1, channels] : [1, channels, 1, 1];
        Node mean, variance;
        if (training)
        {
            mean = x.Mean(axes, keepDims: true);
            variance = (x - mean).Square().Mean(axes, keepDims: true);
            AddUpdate(MovingMean!.Assign(MovingMean! * momentum + mean.Reshape(channels) * (1 - momentum)));
            AddUpdate(MovingVariance!.Assign(MovingVariance! * momentum + variance.Reshape(channels) * (1 - momentum)));
        }
        else
        {
            mean = MovingMean!.Reshape(statShape);
            variance = MovingVariance!.Reshape(statShape);
        }
        var scale = Gamma!.Reshape(statShape) / (variance + epsilon).Sqrt();
        return (x - mean) * scale + Beta!.Reshape(statShape);
    }
}
