using Nabla.Kernels;

namespace Nabla;

/// <summary>Attributes and the shape rule shared by the pooling ops: NCHW, square windows, no padding.</summary>
internal abstract class Pool2DBaseOp(int kernel, int stride) : Op
{
    public int Kernel { get; } = kernel;
    public int Stride { get; } = stride;
    public override string Attributes => $"kernel={Kernel}, stride={Stride}";
    public override void WriteAttributes(OpAttributes a) => a.Set("kernel", Kernel).Set("stride", Stride);

    /// <summary>The pooled shape [N, C, OH, OW] of x; checks the rank and that a window fits.</summary>
    protected Shape Pooled(Node node, Shape[] inputShapes, Shape x)
    {
        if (x.IsUnknownRank) return Shape.Unknown;
        if (x.Rank != 4)
            throw OpChecks.Mismatch(node, inputShapes, $"the input must be [batch, channels, height, width] (NCHW) but has rank {x.Rank}.");
        return new Shape(x[0], x[1], Spatial(node, inputShapes, x[2], "height"), Spatial(node, inputShapes, x[3], "width"));
    }

    /// <summary>Checks that a gradient operand has the pooled shape of x.</summary>
    protected void CheckPooled(Node node, Shape[] inputShapes, Shape x, Shape pooled)
    {
        var expected = Pooled(node, inputShapes, x);
        if (!pooled.IsCompatibleWith(expected))
            throw OpChecks.Mismatch(node, inputShapes, $"the pooled operand must have shape {expected}.");
    }

    private int Spatial(Node node, Shape[] inputShapes, int size, string what)
    {
        if (size == -1) return -1;
        if (size < Kernel)
            throw OpChecks.Mismatch(node, inputShapes, $"the window {Kernel} is larger than the input {what} {size}; use a smaller kernel.");
        return Pool2DGeometry.OutputSize(size, Kernel, Stride);
    }

    protected Pool2DGeometry Geometry(Shape x) => new(x[0] * x[1], x[2], x[3], Kernel, Stride);
}

/// <summary>
/// y = the maximum of each kernel×kernel window of x [N, C, H, W], windows every stride. Piecewise linear:
/// VJP: MaxPool2DGrad(x, dy) routes dy to each window's maximum; JVP: the tangent at the maxima (MaxPool2DGradGrad).
/// </summary>
internal sealed class MaxPool2DOp(int kernel, int stride) : Pool2DBaseOp(kernel, stride)
{
    public override string Type => "MaxPool2D";
    internal MaxPool2DOp(OpAttributes a) : this(a.Int("kernel"), a.Int("stride")) { }
    public override Shape InferShape(Node node, Shape[] inputShapes) => Pooled(node, inputShapes, inputShapes[0]);

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        PoolingLoop<T>.Run(PoolingPass.Max, x.Memory<T>(), default, output.Memory<T>(), Geometry(x.Shape));
    }

    public override Node?[] Vjp(Node node, Node dy) => [Node.MaxPool2DGrad(node.Inputs[0], dy, Kernel, Stride)];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : Node.MaxPool2DGradGrad(node.Inputs[0], tangents[0]!, Kernel, Stride);
}

/// <summary>
/// dx = the gradient of max pooling: zeros shaped like x, with dy[w] added at the maximum of each window w of x.
/// Linear in dy (VJP: MaxPool2DGradGrad; JVP: the op on dy's tangent) and piecewise constant in x (no gradient).
/// </summary>
internal sealed class MaxPool2DGradOp(int kernel, int stride) : Pool2DBaseOp(kernel, stride)
{
    public override string Type => "MaxPool2DGrad";
    internal MaxPool2DGradOp(OpAttributes a) : this(a.Int("kernel"), a.Int("stride")) { }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        CheckPooled(node, inputShapes, inputShapes[0], inputShapes[1]);
        return inputShapes[0];
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], dy = inputs[1];
        PoolingLoop<T>.Run(PoolingPass.MaxGrad, x.Memory<T>(), dy.Memory<T>(), output.Memory<T>(), Geometry(x.Shape));
    }

    public override Node?[] Vjp(Node node, Node g) => [null, Node.MaxPool2DGradGrad(node.Inputs[0], g, Kernel, Stride)];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[1] is null ? null : Node.MaxPool2DGrad(node.Inputs[0], tangents[1]!, Kernel, Stride);
}

/// <summary>
/// z[w] = v at the maximum of window w of x (v shaped like x, z pooled). The adjoint of MaxPool2DGrad: linear in v
/// (VJP: MaxPool2DGrad; JVP: the op on v's tangent) and piecewise constant in x (no gradient).
/// </summary>
internal sealed class MaxPool2DGradGradOp(int kernel, int stride) : Pool2DBaseOp(kernel, stride)
{
    public override string Type => "MaxPool2DGradGrad";
    internal MaxPool2DGradGradOp(OpAttributes a) : this(a.Int("kernel"), a.Int("stride")) { }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape x = inputShapes[0], v = inputShapes[1];
        if (!x.IsCompatibleWith(v))
            throw OpChecks.Mismatch(node, inputShapes, "the selected operand must have the input's shape.");
        return Pooled(node, inputShapes, x);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], v = inputs[1];
        Pooling.MaxSelect(x.Span<T>(), v.Span<T>(), output.Span<T>(), Geometry(x.Shape));
    }

    public override Node?[] Vjp(Node node, Node g) => [null, Node.MaxPool2DGrad(node.Inputs[0], g, Kernel, Stride)];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[1] is null ? null : Node.MaxPool2DGradGrad(node.Inputs[0], tangents[1]!, Kernel, Stride);
}

/// <summary>
/// y = the mean of each kernel×kernel window of x [N, C, H, W], windows every stride. Linear:
/// VJP: AvgPool2DGrad(dy) spreads dy evenly over each window; JVP: the op on the tangent.
/// </summary>
internal sealed class AvgPool2DOp(int kernel, int stride) : Pool2DBaseOp(kernel, stride)
{
    public override string Type => "AvgPool2D";
    internal AvgPool2DOp(OpAttributes a) : this(a.Int("kernel"), a.Int("stride")) { }
    public override Shape InferShape(Node node, Shape[] inputShapes) => Pooled(node, inputShapes, inputShapes[0]);

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        Pooling.Average(x.Span<T>(), output.Span<T>(), Geometry(x.Shape));
    }

    public override Node?[] Vjp(Node node, Node dy) => [Node.AvgPool2DGrad(dy, node.Inputs[0], Kernel, Stride)];

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0]?.AvgPool2D(Kernel, Stride);
}

/// <summary>
/// dx = the gradient of average pooling: each window w of a zero tensor shaped like the second input gets dy[w] / kernel².
/// Linear in dy: VJP: AvgPool2D; JVP: the op on dy's tangent.
/// </summary>
internal sealed class AvgPool2DGradOp(int kernel, int stride) : Pool2DBaseOp(kernel, stride)
{
    public override string Type => "AvgPool2DGrad";
    internal AvgPool2DGradOp(OpAttributes a) : this(a.Int("kernel"), a.Int("stride")) { }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        CheckPooled(node, inputShapes, inputShapes[1], inputShapes[0]);
        return inputShapes[1];
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var dy = inputs[0];
        Pooling.AverageGrad(dy.Span<T>(), output.Span<T>(), Geometry(output.Shape));
    }

    public override Node?[] Vjp(Node node, Node g) => [g.AvgPool2D(Kernel, Stride), null];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : Node.AvgPool2DGrad(tangents[0]!, node.Inputs[1], Kernel, Stride);
}

public sealed partial class Node
{
    /// <summary>Max pooling of this [N, C, H, W] input over kernel×kernel windows every <paramref name="stride"/>, no padding. The gradient routes dy to the maximum of each window.</summary>
    public Node MaxPool2D(int kernel, int stride)
    {
        CheckPoolArguments("MaxPool2D", kernel, stride);
        return Graph.Apply(new MaxPool2DOp(kernel, stride), [this]);
    }

    /// <summary>Average pooling of this [N, C, H, W] input over kernel×kernel windows every <paramref name="stride"/>, no padding. The gradient spreads dy/kernel² evenly over each window.</summary>
    public Node AvgPool2D(int kernel, int stride)
    {
        CheckPoolArguments("AvgPool2D", kernel, stride);
        return Graph.Apply(new AvgPool2DOp(kernel, stride), [this]);
    }

    /// <summary>The gradient of MaxPool2D(x) for output gradient <paramref name="dy"/>: dy placed at each window's maximum.</summary>
    public static Node MaxPool2DGrad(Node x, Node dy, int kernel, int stride)
    {
        CheckPoolArguments("MaxPool2DGrad", kernel, stride);
        return x.Graph.Apply(new MaxPool2DGradOp(kernel, stride), [x, dy]);
    }

    /// <summary>The values of <paramref name="v"/> (shaped like x) at the maximum of each pooling window of x. Linear in v (its gradient puts dy at each window's maximum); piecewise constant in x (no gradient).</summary>
    public static Node MaxPool2DGradGrad(Node x, Node v, int kernel, int stride)
    {
        CheckPoolArguments("MaxPool2DGradGrad", kernel, stride);
        return x.Graph.Apply(new MaxPool2DGradGradOp(kernel, stride), [x, v]);
    }

    /// <summary>The gradient of AvgPool2D for output gradient <paramref name="dy"/>, shaped like <paramref name="inputLike"/>.</summary>
    public static Node AvgPool2DGrad(Node dy, Node inputLike, int kernel, int stride)
    {
        CheckPoolArguments("AvgPool2DGrad", kernel, stride);
        return dy.Graph.Apply(new AvgPool2DGradOp(kernel, stride), [dy, inputLike]);
    }

    private static void CheckPoolArguments(string op, int kernel, int stride)
    {
        if (kernel < 1 || stride < 1)
            throw new InvalidGraphArgumentException($"{op}: kernel {kernel} and stride {stride} must both be at least 1.");
    }
}
