namespace Nabla;

/// <summary>Shared shape rule of softmax and log-softmax: the output has the input's shape; the axis must exist.</summary>
internal abstract class SoftmaxBaseOp(int axis) : Op
{
    /// <summary>The normalized (non-negative) axis.</summary>
    public int Axis { get; } = axis;
    public override bool MayFailWhenRun => false;
    public override string Attributes => $"axis={Axis}";
    public override void WriteAttributes(OpAttributes a) => a.Set("axis", Axis);

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (!x.IsUnknownRank && Axis >= x.Rank)
            throw OpChecks.Mismatch(node, inputShapes, $"axis {Axis} is out of range for rank {x.Rank}.");
        return x;
    }

    protected abstract bool IsLog { get; }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        int length = x.Shape[Axis], inner = 1;
        for (int i = Axis + 1; i < x.Rank; i++) inner *= x.Shape[i];
        int outer = x.Size / Math.Max(1, length * inner);
        Kernels.Softmax.Apply(x.Span<T>(), output.Span<T>(), outer, length, inner, IsLog);
    }

    /// <summary>v summed over the axis, kept as size 1 so that it broadcasts back.</summary>
    protected Node SumAxis(Node v) => v.Sum([Axis], true);
}

/// <summary>
/// y = exp(x) / Σ exp(x) along an axis (computed from x − max). VJP: y·(dy − Σ dy·y); JVP: y·(t − Σ t·y).
/// A primitive for stability: the composite overflows exp for large x.
/// </summary>
internal sealed class SoftmaxOp(int axis) : SoftmaxBaseOp(axis)
{
    public override string Type => "Softmax";
    internal SoftmaxOp(OpAttributes a) : this(a.Int("axis")) { }
    protected override bool IsLog => false;

    public override Node?[] Vjp(Node node, Node dy) => [node * (dy - SumAxis(dy * node))];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node * (tangents[0]! - SumAxis(tangents[0]! * node));
}

/// <summary>
/// y = x − log Σ exp(x) along an axis (computed from x − max). VJP: dy − exp(y)·Σ dy; JVP: t − Σ exp(y)·t.
/// A primitive for stability: log(softmax) underflows to −∞ where softmax rounds to 0.
/// </summary>
internal sealed class LogSoftmaxOp(int axis) : SoftmaxBaseOp(axis)
{
    public override string Type => "LogSoftmax";
    internal LogSoftmaxOp(OpAttributes a) : this(a.Int("axis")) { }
    protected override bool IsLog => true;

    public override Node?[] Vjp(Node node, Node dy) => [dy - node.Exp() * SumAxis(dy)];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : tangents[0]! - SumAxis(node.Exp() * tangents[0]!);
}

public sealed partial class Node
{
    /// <summary>exp(x) / Σ exp(x) along <paramref name="axis"/> (default: the last); each slice along it sums to 1. With y the output: dx = y·(dy − Σ dy·y) along the axis.</summary>
    public Node Softmax(int axis = -1) => Graph.Apply(new SoftmaxOp(OpChecks.Axes("Softmax", this, [axis])[0]), [this]);

    /// <summary>x − log Σ exp(x) along <paramref name="axis"/> (default: the last), stable for large |x|. dx = dy − softmax(x)·Σ dy along the axis.</summary>
    public Node LogSoftmax(int axis = -1) => Graph.Apply(new LogSoftmaxOp(OpChecks.Axes("LogSoftmax", this, [axis])[0]), [this]);
}
