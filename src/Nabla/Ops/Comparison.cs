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
    public Node Greater(Node other) => Graph.Apply(new GreaterOp(), [this, other]);
    public Node GreaterEqual(Node other) => Graph.Apply(new GreaterEqualOp(), [this, other]);
    public Node Less(Node other) => Graph.Apply(new LessOp(), [this, other]);
    public Node LessEqual(Node other) => Graph.Apply(new LessEqualOp(), [this, other]);
    public Node Equal(Node other) => Graph.Apply(new EqualOp(), [this, other]);
    public Node NotEqual(Node other) => Graph.Apply(new NotEqualOp(), [this, other]);
    public Node Greater(double other) => Greater(Lift(other));
    public Node Less(double other) => Less(Lift(other));
}
