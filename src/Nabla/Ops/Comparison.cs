using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// Elementwise comparisons of two numeric operands (broadcasting) giving bool. Derivative rules use the same op with a
/// floating-point result dtype, giving 1 or 0 in the operands' dtype (a mask that multiplies and fuses like any
/// elementwise op). Piecewise constant: no gradient.
/// </summary>
internal abstract class ComparisonOp<TScalar, TPredicate>(DType result) : BinaryElementwiseOp<ScalarLoop<TScalar>>
    where TScalar : IScalarBinary where TPredicate : INumberPredicate
{
    /// <summary>Bool, or the operands' floating-point dtype for a mask.</summary>
    public DType Result { get; } = result;

    public override string Attributes => Result == DType.Bool ? "" : $"as={Result.Name()}";
    public override void WriteAttributes(OpAttributes a) => a.Set("to", Result);

    public override bool SupportsDType(DType dtype) => dtype == DType.Bool || dtype.IsFloatingPoint();

    public override DType InferDType(Node node)
    {
        var operands = OpChecks.SameDType(node);
        if (!operands.IsNumeric() || (Result != DType.Bool && Result != operands))
            throw new DTypeMismatchException($"{Type} '{node.Name}': cannot compare {operands.Name()} operands giving {Result.Name()}; compare numbers (Cast bools to int32).");
        return Result;
    }

    protected override bool ForwardsInInputDType => true;

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        if (output.DType == DType.Bool) ForwardNumber<T>(inputs, output);
        else base.Forward<T>(inputs, output);
    }

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], y = inputs[1];
        NumberElementwise.Compare<T, TPredicate>(x.Span<T>(), x.Shape.Span, y.Span<T>(), y.Shape.Span, output.Span<bool>(), output.Shape.Span);
    }

    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (null, null);
}

internal sealed class GreaterOp(DType result = DType.Bool) : ComparisonOp<GreaterScalar, GreaterPredicate>(result)
{
    public override string Type => "Greater";
    internal GreaterOp(OpAttributes a) : this(a.DType("to")) { }
}
internal sealed class GreaterEqualOp(DType result = DType.Bool) : ComparisonOp<GreaterEqualScalar, GreaterEqualPredicate>(result)
{
    public override string Type => "GreaterEqual";
    internal GreaterEqualOp(OpAttributes a) : this(a.DType("to")) { }
}
internal sealed class LessOp(DType result = DType.Bool) : ComparisonOp<LessScalar, LessPredicate>(result)
{
    public override string Type => "Less";
    internal LessOp(OpAttributes a) : this(a.DType("to")) { }
}
internal sealed class LessEqualOp(DType result = DType.Bool) : ComparisonOp<LessEqualScalar, LessEqualPredicate>(result)
{
    public override string Type => "LessEqual";
    internal LessEqualOp(OpAttributes a) : this(a.DType("to")) { }
}
internal sealed class EqualOp(DType result = DType.Bool) : ComparisonOp<EqualScalar, EqualPredicate>(result)
{
    public override string Type => "Equal";
    internal EqualOp(OpAttributes a) : this(a.DType("to")) { }
}
internal sealed class NotEqualOp(DType result = DType.Bool) : ComparisonOp<NotEqualScalar, NotEqualPredicate>(result)
{
    public override string Type => "NotEqual";
    internal NotEqualOp(OpAttributes a) : this(a.DType("to")) { }
}

/// <summary>Comparisons as 1/0 masks in the operands' floating-point dtype, for derivative rules (x &gt; 0 for Relu, ties of Max).</summary>
internal static class Masks
{
    public static Node Greater(Node x, Node y) => x.Graph.Apply(new GreaterOp(x.DType), [x, y]);
    public static Node GreaterEqual(Node x, Node y) => x.Graph.Apply(new GreaterEqualOp(x.DType), [x, y]);
    public static Node Less(Node x, Node y) => x.Graph.Apply(new LessOp(x.DType), [x, y]);
    public static Node LessEqual(Node x, Node y) => x.Graph.Apply(new LessEqualOp(x.DType), [x, y]);
    public static Node Equal(Node x, Node y) => x.Graph.Apply(new EqualOp(x.DType), [x, y]);
}

public sealed partial class Node
{
    /// <summary>Elementwise x &gt; other (broadcasting), as bool. No gradient.</summary>
    public Node Greater(Node other) => Graph.Apply(new GreaterOp(), [this, other]);
    /// <summary>Elementwise x ≥ other (broadcasting), as bool. No gradient.</summary>
    public Node GreaterEqual(Node other) => Graph.Apply(new GreaterEqualOp(), [this, other]);
    /// <summary>Elementwise x &lt; other (broadcasting), as bool. No gradient.</summary>
    public Node Less(Node other) => Graph.Apply(new LessOp(), [this, other]);
    /// <summary>Elementwise x ≤ other (broadcasting), as bool. No gradient.</summary>
    public Node LessEqual(Node other) => Graph.Apply(new LessEqualOp(), [this, other]);
    /// <summary>Elementwise x = other (broadcasting), as bool. No gradient.</summary>
    public Node Equal(Node other) => Graph.Apply(new EqualOp(), [this, other]);
    /// <summary>Elementwise x ≠ other (broadcasting; NaN ≠ NaN), as bool. No gradient.</summary>
    public Node NotEqual(Node other) => Graph.Apply(new NotEqualOp(), [this, other]);
    /// <summary>1 where this &gt; the constant <paramref name="other"/>, else 0. Piecewise constant: no gradient.</summary>
    public Node Greater(double other) => Greater(Lift(other));
    /// <summary>1 where this &lt; the constant <paramref name="other"/>, else 0. Piecewise constant: no gradient.</summary>
    public Node Less(double other) => Less(Lift(other));
}
