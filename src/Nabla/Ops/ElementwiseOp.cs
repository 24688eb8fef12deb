using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// An elementwise unary op y = f(x). It declares only f (a kernel) and f'(x) as a node; VJP (dy·f'),
/// JVP (t·f') and the edge partials all derive from that one derivative.
/// </summary>
internal abstract class UnaryElementwiseOp<TKernel> : Op, IChunkOp where TKernel : IUnaryKernel
{
    void IChunkOp.ApplyChunk(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => TKernel.Apply(x, z);
    void IChunkOp.ApplyChunk(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z) => TKernel.Apply(x, z);

    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];
    public override bool MayFailWhenRun => false;

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        TKernel.Apply(inputs[0].Span<T>(), output.Span<T>());
    }

    /// <summary>f'(x) as a node; may reuse the output y. Null when f has no derivative.</summary>
    protected abstract Node? Derivative(Node x, Node y);

    public override Node?[] Vjp(Node node, Node dy) => [AD.Scale(dy, Derivative(node.Inputs[0], node))];

    public override Node? Jvp(Node node, Node?[] tangents) => AD.Scale(tangents[0], Derivative(node.Inputs[0], node));

    public override Node?[]? LocalPartials(Node node) => [Derivative(node.Inputs[0], node)];
}

/// <summary>
/// An elementwise binary op z = f(x, y) with NumPy broadcasting. It declares ∂z/∂x and ∂z/∂y as nodes;
/// VJP sums each product back to its operand's shape (SumTo), JVP adds the tangent products.
/// </summary>
internal abstract class BinaryElementwiseOp<TKernel> : Op, IChunkOp where TKernel : IBinaryKernel
{
    void IChunkOp.ApplyChunk(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) => ApplyChunk(x, y, z);
    void IChunkOp.ApplyChunk(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z) => ApplyChunk(x, y, z);

    private static void ApplyChunk<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (x.Length == z.Length && y.Length == z.Length) TKernel.Apply(x, y, z);
        else if (y.Length == 1) TKernel.Apply(x, y[0], z);
        else TKernel.Apply(x[0], y, z);
    }

    public override Shape InferShape(Node node, Shape[] inputShapes) => OpChecks.Broadcast(node, inputShapes);
    public override bool MayFailWhenRun => false;

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], y = inputs[1];
        Elementwise.Binary<T, TKernel>(x.Span<T>(), x.Shape.Span, y.Span<T>(), y.Shape.Span, output.Span<T>(), output.Shape.Span);
    }

    /// <summary>The integer forward of ops that have one: z = TOp(x, y), broadcasting (they also override SupportsDType).</summary>
    protected static void ForwardNumbers<T, TOp>(ReadOnlySpan<Tensor> inputs, Tensor output) where T : unmanaged, System.Numerics.INumber<T> where TOp : INumberBinary
    {
        Tensor x = inputs[0], y = inputs[1];
        NumberElementwise.Binary<T, TOp>(x.Span<T>(), x.Shape.Span, y.Span<T>(), y.Shape.Span, output.Span<T>(), output.Shape.Span);
    }

    /// <summary>(∂z/∂x, ∂z/∂y) as nodes broadcastable to z; null where there is no derivative.</summary>
    protected abstract (Node? dx, Node? dy) Partials(Node x, Node y, Node z);

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node x = node.Inputs[0], y = node.Inputs[1];
        var (px, py) = Partials(x, y, node);
        return [AD.SumTo(AD.Scale(dy, px), x), AD.SumTo(AD.Scale(dy, py), y)];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        var (px, py) = Partials(node.Inputs[0], node.Inputs[1], node);
        return AD.BroadcastLike(AD.AddOrNull(AD.Scale(tangents[0], px), AD.Scale(tangents[1], py)), node);
    }

    public override Node?[]? LocalPartials(Node node)
    {
        var (px, py) = Partials(node.Inputs[0], node.Inputs[1], node);
        return [px, py];
    }
}
