using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// z = condition ? a : b, the three broadcast together; the condition is bool (or, as before bools existed, a number of
/// a's dtype read as ≠ 0). ∂z/∂a = [condition], ∂z/∂b = [¬condition]; the condition gets no gradient.
/// </summary>
internal sealed class WhereOp : Op
{
    public override string Type => "Where";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();

    public override DType InferDType(Node node)
    {
        Node c = node.Inputs[0], a = node.Inputs[1], b = node.Inputs[2];
        if (a.DType != b.DType)
            throw new DTypeMismatchException($"Where '{node.Name}': '{a.Name}' is {a.DType.Name()} but '{b.Name}' is {b.DType.Name()}; both branches need one dtype. Convert one with Cast(DType).");
        if (c.DType != DType.Bool && c.DType != a.DType)
            throw new DTypeMismatchException($"Where '{node.Name}': the condition '{c.Name}' is {c.DType.Name()}; give a bool condition (a comparison such as x.Greater(y)).");
        return a.DType;
    }

    public override Shape InferShape(Node node, Shape[] inputShapes) => OpChecks.Broadcast(node, inputShapes);

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor c = inputs[0], a = inputs[1], b = inputs[2];
        if (c.DType == DType.Bool)
            Elementwise.Where(c.Span<bool>(), c.Shape.Span, a.Span<T>(), a.Shape.Span, b.Span<T>(), b.Shape.Span, output.Span<T>(), output.Shape.Span);
        else
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
    /// <summary>Elementwise select: a where condition (bool) holds, else b (broadcasting all three). ∂/∂a = 1 where the condition holds, ∂/∂b = 1 elsewhere; the condition gets no gradient.</summary>
    public static Node Where(Node condition, Node a, Node b) => a.Graph.Apply(new WhereOp(), [condition, a, b]);
}
