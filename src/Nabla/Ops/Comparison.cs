using Nabla.Kernels;

namespace Nabla;

/// <summary>Elementwise comparisons giving 1 or 0 in the operands' dtype. Piecewise constant: no gradient.</summary>
internal abstract class ComparisonOp<TScalar> : BinaryElementwiseOp<ScalarLoop<TScalar>> where TScalar : IScalarBinary
{
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (null, null);
}

internal sealed class GreaterOp : ComparisonOp<GreaterScalar> { public override string Type => "Greater"; }
internal sealed class GreaterEqualOp : ComparisonOp<GreaterEqualScalar> { public override string Type => "GreaterEqual"; }
internal sealed class LessOp : ComparisonOp<LessScalar> { public override string Type => "Less"; }
internal sealed class LessEqualOp : ComparisonOp<LessEqualScalar> { public override string Type => "LessEqual"; }
internal sealed class EqualOp : ComparisonOp<EqualScalar> { public override string Type => "Equal"; }
internal sealed class NotEqualOp : ComparisonOp<NotEqualScalar> { public override string Type => "NotEqual"; }

public sealed partial class Node
{
    /// <summary>1 where this &gt; other, else 0, in the operands' dtype (with broadcasting). Piecewise constant: no gradient.</summary>
    public Node Greater(Node other) => Graph.Apply(new GreaterOp(), [this, other]);
    /// <summary>1 where this ≥ other, else 0. Piecewise constant: no gradient.</summary>
    public Node GreaterEqual(Node other) => Graph.Apply(new GreaterEqualOp(), [this, other]);
    /// <summary>1 where this &lt; other, else 0. Piecewise constant: no gradient.</summary>
    public Node Less(Node other) => Graph.Apply(new LessOp(), [this, other]);
    /// <summary>1 where this ≤ other, else 0. Piecewise constant: no gradient.</summary>
    public Node LessEqual(Node other) => Graph.Apply(new LessEqualOp(), [this, other]);
    /// <summary>1 where this = other, else 0. Piecewise constant: no gradient.</summary>
    public Node Equal(Node other) => Graph.Apply(new EqualOp(), [this, other]);
    /// <summary>1 where this ≠ other, else 0. Piecewise constant: no gradient.</summary>
    public Node NotEqual(Node other) => Graph.Apply(new NotEqualOp(), [this, other]);
    /// <summary>1 where this &gt; the constant <paramref name="other"/>, else 0. Piecewise constant: no gradient.</summary>
    public Node Greater(double other) => Greater(Lift(other));
    /// <summary>1 where this &lt; the constant <paramref name="other"/>, else 0. Piecewise constant: no gradient.</summary>
    public Node Less(double other) => Less(Lift(other));
}
