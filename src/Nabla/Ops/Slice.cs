using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// x[begin : begin + size] per axis (size -1: to the end; or the shape of a second input).
/// VJP: Pad, which places dy back into zeros of the input's shape.
/// </summary>
internal sealed class SliceOp(int[] begin, int[]? size) : Op
{
    public int[] Begin { get; } = begin;
    public int[]? Size { get; } = size;
    public override string Type => "Slice";
    internal SliceOp(OpAttributes a) : this(a.Ints("begin"), a.IntsOrNull("size")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("begin", Begin).Set("size", Size);
    public override string Attributes => $"begin=[{string.Join(", ", Begin)}]" + (Size is null ? "" : $", size=[{string.Join(", ", Size)}]");
    public override DType InferDType(Node node) => node.Inputs[0].DType;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (x.IsUnknownRank) return Size is null ? inputShapes[1] : new Shape(Size.Select(s => s).ToArray());
        if (x.Rank != Begin.Length)
            throw OpChecks.Mismatch(node, inputShapes, $"begin [{string.Join(", ", Begin)}] has {Begin.Length} entries for rank {x.Rank}.");
        var dims = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            int s = Size is null ? inputShapes[1][i] : Size[i];
            int d = x[i];
            if (s == -1) s = d == -1 ? -1 : Math.Max(0, d - Begin[i]);
            if (Begin[i] < 0 || (d != -1 && Begin[i] > d) || (d != -1 && s != -1 && (long)Begin[i] + s > d) || (s < -1))
                throw OpChecks.Mismatch(node, inputShapes, $"slice begin {Begin[i]} size {s} does not fit axis {i} of size {d}.");
            dims[i] = s;
        }
        return new Shape(dims);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        Layout.Slice<T>(x.Span<T>(), x.Shape.Span, Begin, output.Span<T>(), output.Shape.Span);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        var grad = dy.Graph.Apply(new PadOp(Begin), [dy, node.Inputs[0]], "Pad");
        return node.Inputs.Count == 2 ? [grad, null] : [grad];
    }

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new SliceOp(Begin, Size), node.Inputs.Count == 2 ? [tangents[0]!, node.Inputs[1]] : [tangents[0]!]);
}

/// <summary>Zeros of the second input's shape with x placed at begin. VJP: Slice.</summary>
internal sealed class PadOp(int[] begin) : Op
{
    public int[] Begin { get; } = begin;
    public override string Type => "Pad";
    internal PadOp(OpAttributes a) : this(a.Ints("begin")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("begin", Begin);
    public override string Attributes => $"begin=[{string.Join(", ", Begin)}]";
    public override DType InferDType(Node node) => node.Inputs[0].DType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[1];

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        output.Span<T>().Clear();
        Layout.PadAdd<T>(x.Span<T>(), x.Shape.Span, Begin, output.Span<T>(), output.Shape.Span);
    }

    public override Node?[] Vjp(Node node, Node dy) => [dy.Graph.Apply(new SliceOp(Begin, null), [dy, node.Inputs[0]], "Slice"), null];
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : node.Graph.Apply(new PadOp(Begin), [tangents[0]!, node.Inputs[1]]);
}

public sealed partial class Node
{
    /// <summary>The block starting at <paramref name="begin"/> of extent <paramref name="size"/> (-1: to the end of that axis). The gradient is dy padded with zeros back to the input's shape.</summary>
    public Node Slice(int[] begin, int[] size)
    {
        if (begin.Length != size.Length)
            throw new InvalidGraphArgumentException($"Slice of '{Name}': begin has {begin.Length} entries but size has {size.Length}.");
        return Graph.Apply(new SliceOp(begin, size), [this]);
    }
}
