namespace Nabla.NN;

/// <summary>The maximum over each kernel×kernel window of NCHW input, moving by stride (default: the kernel size).</summary>
public sealed class MaxPool2D(int kernel, int? stride = null) : Layer
{
    /// <inheritdoc/>
    protected override string Settings => $"kernel={kernel}, stride={stride ?? kernel}";

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => x.MaxPool2D(kernel, stride ?? kernel);
}

/// <summary>The mean over each kernel×kernel window of NCHW input, moving by stride (default: the kernel size).</summary>
public sealed class AvgPool2D(int kernel, int? stride = null) : Layer
{
    /// <inheritdoc/>
    protected override string Settings => $"kernel={kernel}, stride={stride ?? kernel}";

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => x.AvgPool2D(kernel, stride ?? kernel);
}
