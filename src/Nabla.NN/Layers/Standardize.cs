namespace Nabla.NN;

/// <summary>
/// y = (x − mean)/std with the mean and standard deviation of the training inputs, held as non-trainable
/// variables so that a checkpoint carries them ("Efficient BackProp": inputs of zero mean and unit variance).
/// </summary>
public sealed class Standardize(double mean = 0, double std = 1) : Layer
{
    /// <summary>The mean subtracted, a non-trainable scalar variable; null until the layer is first applied.</summary>
    public Node? Mean { get; private set; }
    /// <summary>The standard deviation divided by, a non-trainable scalar variable; null until the layer is first applied.</summary>
    public Node? Std { get; private set; }

    /// <inheritdoc/>
    protected override string Settings => $"mean={mean}, std={std}";

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        if (!(std > 0))
            throw new InvalidGraphArgumentException($"Standardize '{Name}': std must be positive, got {std}.");
        Mean = AddVariable(x, "mean", Tensor.Scalar(mean, x.DType), trainable: false);
        Std = AddVariable(x, "std", Tensor.Scalar(std, x.DType), trainable: false);
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => (x - Mean!) / Std!;
}
