namespace Nabla.NN;

/// <summary>
/// A 2-D convolution over NCHW input: y = f(conv(x, W) + b) with W of shape [filters, channels, k, k]
/// and one bias per filter.
/// </summary>
public sealed class Conv2D(int filters, int kernelSize, Func<Node, Node>? activation = null, int stride = 1, int padding = 0, Initializer? kernelInitializer = null) : Layer
{
    /// <summary>The number of output channels.</summary>
    public int Filters { get; } = filters > 0 ? filters : throw new InvalidGraphArgumentException($"Conv2D: filters must be positive, got {filters}.");
    /// <summary>The side k of the square k×k kernel.</summary>
    public int KernelSize { get; } = kernelSize > 0 ? kernelSize : throw new InvalidGraphArgumentException($"Conv2D: kernel size must be positive, got {kernelSize}.");
    /// <summary>The filters W, [filters, channels, k, k]; null until the layer is first applied.</summary>
    public Node? Kernel { get; private set; }
    /// <summary>One bias per filter; null until the layer is first applied.</summary>
    public Node? Bias { get; private set; }

    /// <inheritdoc/>
    protected override string Settings => $"filters={Filters}, kernelSize={KernelSize}, stride={stride}, padding={padding}, activation={ActivationName(activation)}";

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        int channels = KnownDim(x, 1, 4), k = KernelSize;
        var init = kernelInitializer ?? Initializer.HeNormal;
        int fanIn = channels * k * k, fanOut = Filters * k * k;
        Kernel = AddVariable(x, "kernel", init.Create(new Shape(Filters, channels, k, k), fanIn, fanOut, Seed, x.DType));
        Bias = AddVariable(x, "bias", Tensor.Zeros(new Shape(Filters), x.DType));
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var y = x.Conv2D(Kernel!, stride, padding) + Bias!.Reshape(1, Filters, 1, 1);
        return activation is null ? y : activation(y);
    }
}
