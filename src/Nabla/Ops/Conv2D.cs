using Nabla.Kernels;

namespace Nabla;

/// <summary>Attributes and shape rules shared by Conv2D and its two adjoints.</summary>
internal abstract class Conv2DBaseOp(int stride, int padding, int dilation) : Op
{
    public int Stride { get; } = stride;
    public int Padding { get; } = padding;
    public int Dilation { get; } = dilation;
    public override string Attributes => $"stride={Stride}, padding={Padding}, dilation={Dilation}";
    public override void WriteAttributes(OpAttributes a) => a.Set("stride", Stride).Set("padding", Padding).Set("dilation", Dilation);

    /// <summary>The convolution output shape [N, O, OH, OW] for input x and filter f; checks ranks and channels.</summary>
    protected Shape OutputShape(Node node, Shape[] inputShapes, Shape x, Shape f)
    {
        if (x.IsUnknownRank || f.IsUnknownRank) return Shape.Unknown;
        if (x.Rank != 4)
            throw OpChecks.Mismatch(node, inputShapes, $"the input must be [batch, channels, height, width] (NCHW) but has rank {x.Rank}.");
        if (f.Rank != 4)
            throw OpChecks.Mismatch(node, inputShapes, $"the filter must be [outChannels, inChannels, kernelHeight, kernelWidth] but has rank {f.Rank}.");
        if (x[1] != -1 && f[1] != -1 && x[1] != f[1])
            throw OpChecks.Mismatch(node, inputShapes, $"the input has {x[1]} channels but the filter expects {f[1]} (filter dim 1); make them equal.");
        if (x[1] == 0 || f[1] == 0 || f[0] == 0)
            throw OpChecks.Mismatch(node, inputShapes, "a convolution needs at least one input and one output channel.");
        return new Shape(x[0], f[0], Spatial(node, inputShapes, x[2], f[2], "height"), Spatial(node, inputShapes, x[3], f[3], "width"));
    }

    private int Spatial(Node node, Shape[] inputShapes, int size, int kernel, string what)
    {
        if (size == -1 || kernel == -1) return -1;
        int o = Conv2DGeometry.OutputSize(size, kernel, Stride, Padding, Dilation);
        if (o < 1 || kernel < 1)
            throw OpChecks.Mismatch(node, inputShapes,
                $"the kernel {what} {kernel} (dilation {Dilation}) is larger than the input {what} {size} plus padding 2·{Padding}; use a smaller kernel or more padding.");
        return o;
    }

    /// <summary>Checks that a gradient operand has the convolution's output shape.</summary>
    protected static void CheckOutputGradient(Node node, Shape[] inputShapes, Shape dy, Shape expected)
    {
        if (!dy.IsCompatibleWith(expected))
            throw OpChecks.Mismatch(node, inputShapes, $"the output gradient must have the convolution's output shape {expected}.");
    }

    protected Conv2DGeometry Geometry(Shape x, Shape f) =>
        new(x[0], x[1], x[2], x[3], f[0], f[2], f[3], Stride, Padding, Dilation);
}

/// <summary>
/// y = conv2d(x, f) in NCHW: x [N, C, H, W], f [O, C, KH, KW] → [N, O, OH, OW], with stride, zero padding and dilation
/// (cross-correlation, as every framework). VJP: dx = Conv2DBackpropInput(dy, f), df = Conv2DBackpropFilter(x, dy).
/// JVP: conv(tx, f) + conv(x, tf). The convolution is bilinear, so every derivative is one of these three ops.
/// </summary>
internal sealed class Conv2DOp(int stride, int padding, int dilation) : Conv2DBaseOp(stride, padding, dilation)
{
    public override string Type => "Conv2D";
    internal Conv2DOp(OpAttributes a) : this(a.Int("stride"), a.Int("padding"), a.Int("dilation")) { }

    public override Shape InferShape(Node node, Shape[] inputShapes) => OutputShape(node, inputShapes, inputShapes[0], inputShapes[1]);

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], f = inputs[1];
        var g = Geometry(x.Shape, f.Shape);
        Convolution.Forward(x.Memory<T>(), f.Memory<T>(), output.Memory<T>(), g);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node x = node.Inputs[0], f = node.Inputs[1];
        return [Node.Conv2DBackpropInput(dy, f, x, Stride, Padding, Dilation), Node.Conv2DBackpropFilter(x, dy, f, Stride, Padding, Dilation)];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        Node x = node.Inputs[0], f = node.Inputs[1];
        var a = tangents[0]?.Conv2D(f, Stride, Padding, Dilation);
        var b = tangents[1] is null ? null : x.Conv2D(tangents[1]!, Stride, Padding, Dilation);
        return AD.AddOrNull(a, b);
    }
}

/// <summary>
/// dx = the gradient of Σ dy·conv2d(x, f) with respect to x, for dy [N, O, OH, OW] and f; the third input only gives
/// x's shape. Linear in dy and in f: VJP: d(dy) = conv2d(g, f), df = Conv2DBackpropFilter(g, dy); JVP: the op on the tangents.
/// </summary>
internal sealed class Conv2DBackpropInputOp(int stride, int padding, int dilation) : Conv2DBaseOp(stride, padding, dilation)
{
    public override string Type => "Conv2DBackpropInput";
    internal Conv2DBackpropInputOp(OpAttributes a) : this(a.Int("stride"), a.Int("padding"), a.Int("dilation")) { }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape dy = inputShapes[0], f = inputShapes[1], x = inputShapes[2];
        var y = OutputShape(node, inputShapes, x, f);
        CheckOutputGradient(node, inputShapes, dy, y);
        return x.IsUnknownRank ? x : new Shape(x[0] != -1 || dy.IsUnknownRank ? x[0] : dy[0], x[1], x[2], x[3]);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor dy = inputs[0], f = inputs[1];
        var g = Geometry(output.Shape, f.Shape);
        Convolution.BackpropInput(dy.Memory<T>(), f.Memory<T>(), output.Memory<T>(), g);
    }

    public override Node?[] Vjp(Node node, Node dx)
    {
        Node dy = node.Inputs[0], f = node.Inputs[1];
        return [dx.Conv2D(f, Stride, Padding, Dilation), Node.Conv2DBackpropFilter(dx, dy, f, Stride, Padding, Dilation), null];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        Node dy = node.Inputs[0], f = node.Inputs[1], x = node.Inputs[2];
        var a = tangents[0] is null ? null : Node.Conv2DBackpropInput(tangents[0]!, f, x, Stride, Padding, Dilation);
        var b = tangents[1] is null ? null : Node.Conv2DBackpropInput(dy, tangents[1]!, x, Stride, Padding, Dilation);
        return AD.AddOrNull(a, b);
    }
}

/// <summary>
/// df = the gradient of Σ dy·conv2d(x, f) with respect to f, for x and dy [N, O, OH, OW]; the third input only gives
/// f's shape. Linear in x and in dy: VJP: dx = Conv2DBackpropInput(dy, g), d(dy) = conv2d(x, g); JVP: the op on the tangents.
/// </summary>
internal sealed class Conv2DBackpropFilterOp(int stride, int padding, int dilation) : Conv2DBaseOp(stride, padding, dilation)
{
    public override string Type => "Conv2DBackpropFilter";
    internal Conv2DBackpropFilterOp(OpAttributes a) : this(a.Int("stride"), a.Int("padding"), a.Int("dilation")) { }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape x = inputShapes[0], dy = inputShapes[1], f = inputShapes[2];
        var y = OutputShape(node, inputShapes, x, f);
        CheckOutputGradient(node, inputShapes, dy, y);
        return f;
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], dy = inputs[1];
        var g = Geometry(x.Shape, output.Shape);
        Convolution.BackpropFilter(x.Memory<T>(), dy.Memory<T>(), output.Memory<T>(), g);
    }

    public override Node?[] Vjp(Node node, Node df)
    {
        Node x = node.Inputs[0], dy = node.Inputs[1];
        return [Node.Conv2DBackpropInput(dy, df, x, Stride, Padding, Dilation), x.Conv2D(df, Stride, Padding, Dilation), null];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        Node x = node.Inputs[0], dy = node.Inputs[1], f = node.Inputs[2];
        var a = tangents[0] is null ? null : Node.Conv2DBackpropFilter(tangents[0]!, dy, f, Stride, Padding, Dilation);
        var b = tangents[1] is null ? null : Node.Conv2DBackpropFilter(x, tangents[1]!, f, Stride, Padding, Dilation);
        return AD.AddOrNull(a, b);
    }
}

public sealed partial class Node
{
    /// <summary>
    /// 2-D convolution of this input [N, C, H, W] with <paramref name="filter"/> [O, C, KH, KW] → [N, O, OH, OW]
    /// (NCHW; cross-correlation as in TensorFlow and PyTorch), OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1) / stride⌋ + 1.
    /// Differentiable to any order in both operands.
    /// The gradient with respect to the input is the transposed convolution of dy with the filter; with respect to the filter, the correlation of the input with dy.
    /// </summary>
    public Node Conv2D(Node filter, int stride = 1, int padding = 0, int dilation = 1)
    {
        CheckConvArguments("Conv2D", stride, padding, dilation);
        return Graph.Apply(new Conv2DOp(stride, padding, dilation), [this, filter]);
    }

    /// <summary>The gradient of Σ dy·conv2d(x, filter) with respect to x, where <paramref name="inputLike"/> gives x's shape.</summary>
    public static Node Conv2DBackpropInput(Node dy, Node filter, Node inputLike, int stride = 1, int padding = 0, int dilation = 1)
    {
        CheckConvArguments("Conv2DBackpropInput", stride, padding, dilation);
        return dy.Graph.Apply(new Conv2DBackpropInputOp(stride, padding, dilation), [dy, filter, inputLike]);
    }

    /// <summary>The gradient of Σ dy·conv2d(x, filter) with respect to the filter, where <paramref name="filterLike"/> gives its shape.</summary>
    public static Node Conv2DBackpropFilter(Node x, Node dy, Node filterLike, int stride = 1, int padding = 0, int dilation = 1)
    {
        CheckConvArguments("Conv2DBackpropFilter", stride, padding, dilation);
        return x.Graph.Apply(new Conv2DBackpropFilterOp(stride, padding, dilation), [x, dy, filterLike]);
    }

    private static void CheckConvArguments(string op, int stride, int padding, int dilation)
    {
        if (stride < 1 || padding < 0 || dilation < 1)
            throw new InvalidGraphArgumentException($"{op}: stride {stride}, padding {padding}, dilation {dilation}: stride and dilation must be at least 1 and padding at least 0.");
    }
}
