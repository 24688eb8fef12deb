using Nabla.Kernels;

namespace Nabla;

/// <summary>Shared shape rule of the reductions: axes (null = all) removed, or kept as 1 with keepDims.</summary>
internal abstract class ReduceOp(int[]? axes, bool keepDims) : Op
{
    public int[]? Axes { get; } = axes;
    public bool KeepDims { get; } = keepDims;
    public override bool MayFailWhenRun => false;
    public override string Attributes => $"axes={(Axes is null ? "all" : "[" + string.Join(", ", Axes) + "]")}{(KeepDims ? ", keepDims" : "")}";

    public override void WriteAttributes(OpAttributes a) => a.Set("axes", Axes).Set("keep_dims", KeepDims);

    protected bool IsReduced(int axis) => Axes is null || Array.IndexOf(Axes, axis) >= 0;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (x.IsUnknownRank) return Axes is null && !KeepDims ? Shape.Scalar : Shape.Unknown;
        if (Axes is not null && Axes.Any(a => a >= x.Rank))
            throw OpChecks.Mismatch(node, inputShapes, $"axes [{string.Join(", ", Axes)}] are out of range for rank {x.Rank}.");
        if (this is MaxOp)
            for (int i = 0; i < x.Rank; i++)
                if (IsReduced(i) && x[i] == 0)
                    throw OpChecks.Mismatch(node, inputShapes, $"Max over axis {i}, which is empty, has no value; reduce over a non-empty axis or use Sum.");
        var dims = new List<int>();
        for (int i = 0; i < x.Rank; i++)
            if (!IsReduced(i)) dims.Add(x[i]);
            else if (KeepDims) dims.Add(1);
        return new Shape(dims.ToArray());
    }

    /// <summary>The kernel: z (shaped like x with 1 on reduced axes, as <paramref name="keep"/>) from x.</summary>
    protected abstract void Reduce<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> keep)
        where T : unmanaged, System.Numerics.INumber<T>;

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        Span<int> keep = stackalloc int[x.Rank];
        for (int i = 0; i < x.Rank; i++) keep[i] = IsReduced(i) ? 1 : x.Shape[i];
        Reduce(x.Span<T>(), x.Shape.Span, output.Span<T>(), keep);
    }

    /// <summary>dy reshaped so that it broadcasts against the input (reduced axes reinserted as 1).</summary>
    protected Node Expand(Node dy, Node x) =>
        KeepDims || Axes is null ? dy : dy.Graph.Apply(new ExpandDimsOp(Axes), [dy], "ExpandDims");
}

/// <summary>Sum over axes (integers too). VJP: dy broadcast back to the input's shape.</summary>
internal sealed class SumOp(int[]? axes, bool keepDims) : ReduceOp(axes, keepDims)
{
    public override string Type => "Sum";
    internal SumOp(OpAttributes a) : this(a.IntsOrNull("axes"), a.Bool("keep_dims")) { }
    public override FusionRole FusionRole => FusionRole.Sum;
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();

    protected override void Reduce<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> keep) =>
        Reduction.Sum(x, xShape, z, keep);

    public override Node?[] Vjp(Node node, Node dy) => [AD.BroadcastLike(Expand(dy, node.Inputs[0]), node.Inputs[0])];

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0]?.Sum(Axes, KeepDims);
}

/// <summary>Max over axes (integers too). VJP: dy flows to the maxima, split evenly between ties (as TensorFlow).</summary>
internal sealed class MaxOp(int[]? axes, bool keepDims) : ReduceOp(axes, keepDims)
{
    public override string Type => "Max";
    internal MaxOp(OpAttributes a) : this(a.IntsOrNull("axes"), a.Bool("keep_dims")) { }
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();

    protected override void Reduce<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> keep) =>
        Reduction.Max(x, xShape, z, keep);

    /// <summary>1/(number of maxima) where x is a maximum of its group, else 0.</summary>
    private Node Weights(Node node)
    {
        var x = node.Inputs[0];
        var mask = Masks.Equal(x, AD.BroadcastLike(Expand(node, x), x)!);
        var count = mask.Sum(Axes, KeepDims);
        return mask / AD.BroadcastLike(Expand(count, x), x)!;
    }

    public override Node?[] Vjp(Node node, Node dy) => [AD.BroadcastLike(Expand(dy, node.Inputs[0]), node.Inputs[0])! * Weights(node)];

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : (tangents[0]! * Weights(node)).Sum(Axes, KeepDims);
}

public sealed partial class Node
{
    /// <summary>Sum of all elements (a scalar). The gradient is dy broadcast to the input's shape.</summary>
    public Node Sum() => Sum(null, false);

    /// <summary>Sum over the given axes (negative axes count from the end). The gradient is dy broadcast back over the summed axes.</summary>
    public Node Sum(params int[] axes) => Sum(axes, false);

    /// <summary>Sum over <paramref name="axes"/> (all when null; negative axes count from the end), keeping them as 1 when <paramref name="keepDims"/>. The gradient is dy broadcast back to the input's shape.</summary>
    public Node Sum(int[]? axes, bool keepDims) =>
        Graph.Apply(new SumOp(axes is null ? null : OpChecks.Axes("Sum", this, axes), keepDims), [this]);

    /// <summary>The largest element (a scalar). The gradient flows to the maxima, split evenly between ties.</summary>
    public Node Max() => Max(null, false);

    /// <summary>The largest element over <paramref name="axes"/> (all when null), keeping them as 1 when <paramref name="keepDims"/>. The gradient flows to the maxima of each group, split evenly between ties (as TensorFlow).</summary>
    public Node Max(int[]? axes, bool keepDims = false) =>
        Graph.Apply(new MaxOp(axes is null ? null : OpChecks.Axes("Max", this, axes), keepDims), [this]);

    /// <summary>Mean of all elements. Composite: Sum times size(output)/size(input). The gradient is dy/size(input) broadcast to the input's shape.</summary>
    public Node Mean() => Mean(null, false);

    /// <summary>
    /// Mean over <paramref name="axes"/> (all when null), keeping them as 1 when <paramref name="keepDims"/>; the result is named
    /// <paramref name="name"/> when one is given. The gradient is dy / (elements per group), broadcast back to the input's shape.
    /// </summary>
    public Node Mean(int[]? axes, bool keepDims = false, string? name = null)
    {
        if (!DType.IsFloatingPoint())
            throw new DTypeNotSupportedException($"Mean of '{Name}' ({DType.Name()}): a mean needs a floating-point dtype; use Cast(DType.Float32).Mean(), or Sum for an integer total.");
        var sum = Sum(axes, keepDims);
        var ratio = Shape.IsFullyKnown && sum.Shape.IsFullyKnown
            ? sum.Lift((double)sum.Shape.Size / Math.Max(1, Shape.Size))
            : Graph.Apply(new SizeRatioOp(), [sum, this], "SizeRatio");
        return Graph.Apply(new MulOp(), [sum, ratio], name);
    }
}
