using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// z = condition ≠ 0 ? a : b, the three broadcast together. ∂z/∂a = [condition], ∂z/∂b = [¬condition];
/// the condition gets no gradient.
/// </summary>
internal sealed class WhereOp : Op
{
    public override string Type => "Where";

    public override Shape InferShape(Node node, Shape[] inputShapes) => OpChecks.Broadcast(node, inputShapes);

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor c = inputs[0], a = inputs[1], b = inputs[2];
        Elementwise.Where(c.Span<T>(), c.Shape.Span, a.Span<T>(), a.Shape.Span, b.Span<T>(), b.Shape.Span, output.Span<T>(), output.Shape.Span);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node c = node.Inputs[0], a = node.Inputs[1], b = node.Inputs[2];
        var zero = AD.Scalar(dy, 0);
        return [null, AD.SumTo(Node.Where(c, dy, zero), a), AD.SumTo(Node.Where(c, zero, dy), b)];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        if (tangents[1] is null && tangents[2] is null) return null;
        var zero = AD.Scalar(node, 0);
        return AD.BroadcastLike(Node.Where(node.Inputs[0], tangents[1] ?? zero, tangents[2] ?? zero), node);
    }
}

public sealed partial class Node
{
    /// <summary>Elementwise select: a where condition is nonzero, else b (broadcasting all three). ∂/∂a = 1 where the condition holds, ∂/∂b = 1 elsewhere; the condition gets no gradient.</summary>
    public static Node Where(Node condition, Node a, Node b) => a.Graph.Apply(new WhereOp(), [condition, a, b]);
}
