using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// Broadcasts x to a target shape: a fixed one, or that of a second input (for dims known only at run time).
/// VJP: SumTo. This is where implicit broadcasting's gradient becomes explicit.
/// </summary>
internal sealed class BroadcastToOp(Shape? target) : Op
{
    public Shape? Target { get; } = target;
    public override string Type => "BroadcastTo";
    public override bool MayFailWhenRun => false;
    internal BroadcastToOp(OpAttributes a) : this(a.ShapeOrNull("shape")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("shape", Target);
    public override string Attributes => Target is null ? "" : $"shape={Target}";
    public override DType InferDType(Node node) => node.Inputs[0].DType;
    public override FusionRole FusionRole => FusionRole.Broadcast;
    public override int ViewedInput(Shape[] inputShapes, Shape output) => inputShapes[0].Size == output.Size ? 0 : -1; // only size-1 axes differ

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var target = Target ?? inputShapes[1];
        var x = inputShapes[0];
        if (x.IsUnknownRank || target.IsUnknownRank) return target;
        if (x.Rank > target.Rank)
            throw OpChecks.Mismatch(node, inputShapes, $"cannot broadcast rank {x.Rank} to the lower rank {target.Rank}.");
        for (int i = 0; i < x.Rank; i++)
        {
            int d = x[i], t = target[i + target.Rank - x.Rank];
            if (d != 1 && d != -1 && t != -1 && d != t)
                throw OpChecks.Mismatch(node, inputShapes, $"cannot broadcast {x} to {target}.");
        }
        return target;
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        Elementwise.BroadcastTo<T>(x.Span<T>(), x.Shape.Span, output.Span<T>(), output.Shape.Span);
    }

    public override Node?[] Vjp(Node node, Node dy) => node.Inputs.Count == 2 ? [AD.SumTo(dy, node.Inputs[0]), null] : [AD.SumTo(dy, node.Inputs[0])];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new BroadcastToOp(Target), node.Inputs.Count == 2 ? [tangents[0]!, node.Inputs[1]] : [tangents[0]!]);
}

/// <summary>Sums x down to the shape of a second input, the reverse of broadcasting. VJP: BroadcastTo.</summary>
internal sealed class SumToOp : Op
{
    public override string Type => "SumTo";
    public override bool MayFailWhenRun => false;
    public override DType InferDType(Node node) => node.Inputs[0].DType;
    public override FusionRole FusionRole => FusionRole.Sum;
    public override int ViewedInput(Shape[] inputShapes, Shape output) => inputShapes[0].Size == output.Size ? 0 : -1; // only size-1 axes differ

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape x = inputShapes[0], target = inputShapes[1];
        if (!x.IsUnknownRank && !target.IsUnknownRank)
        {
            if (target.Rank > x.Rank)
                throw OpChecks.Mismatch(node, inputShapes, $"cannot sum {x} down to the higher rank {target}.");
            for (int i = 0; i < target.Rank; i++)
            {
                int t = target[i], d = x[i + x.Rank - target.Rank];
                if (t != 1 && t != -1 && d != -1 && t != d)
                    throw OpChecks.Mismatch(node, inputShapes, $"cannot sum {x} down to {target}.");
            }
        }
        return target;
    }

    /// <summary>A sum to the input's own size is a copy (a fetched gradient that needed no broadcasting).</summary>
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        if (inputs[0].Size == output.Size) inputs[0].CopyTo(output);
        else base.Forward(inputs, output);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        Span<int> keep = stackalloc int[x.Rank];
        keep.Fill(1);
        output.Shape.Span.CopyTo(keep[(x.Rank - output.Rank)..]);
        Reduction.Sum(x.Span<T>(), x.Shape.Span, output.Span<T>(), keep);
    }

    public override Node?[] Vjp(Node node, Node dy) => [AD.BroadcastLike(dy, node.Inputs[0]), null];

    public override Node? Jvp(Node node, Node?[] tangents) => AD.SumTo(tangents[0], node.Inputs[1]);
}

public sealed partial class Node
{
    /// <summary>This node broadcast (NumPy rules) to <paramref name="shape"/>. The gradient sums dy back down to this node's shape (SumTo).</summary>
    public Node BroadcastTo(Shape shape) => Graph.Apply(new BroadcastToOp(shape), [this]);

    /// <summary>This node summed down to the shape of <paramref name="like"/> (the gradient of broadcasting).</summary>
    public Node SumTo(Node like) => Graph.Apply(new SumToOp(), [this, like]);
}
