using Nabla.Kernels;

namespace Nabla;

/// <summary>Joins inputs along an axis. VJP: the matching slice of dy for each input.</summary>
internal sealed class ConcatOp(int axis) : Op
{
    public int Axis { get; } = axis;
    public override string Type => "Concat";
    internal ConcatOp(OpAttributes a) : this(a.Int("axis")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("axis", Axis);
    public override string Attributes => $"axis={Axis}";

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var first = inputShapes[0];
        if (inputShapes.Any(s => s.IsUnknownRank)) return Shape.Unknown;
        int total = 0;
        var dims = first.Dims;
        if (Axis >= first.Rank) throw OpChecks.Mismatch(node, inputShapes, $"axis {Axis} is out of range for rank {first.Rank}.");
        foreach (var s in inputShapes)
        {
            if (s.Rank != first.Rank) throw OpChecks.Mismatch(node, inputShapes, "all inputs must have the same rank.");
            for (int i = 0; i < s.Rank; i++)
            {
                if (i == Axis) continue;
                if (s[i] != -1 && dims[i] != -1 && s[i] != dims[i])
                    throw OpChecks.Mismatch(node, inputShapes, $"dimension {i} differs ({dims[i]} vs {s[i]}); only axis {Axis} may differ.");
                if (dims[i] == -1) dims[i] = s[i];
            }
            total = total == -1 || s[Axis] == -1 ? -1 : total + s[Axis];
        }
        dims[Axis] = total;
        return new Shape(dims);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < Axis; i++) outer *= output.Shape[i];
        for (int i = Axis + 1; i < output.Rank; i++) inner *= output.Shape[i];
        int offset = 0, zAxis = output.Shape[Axis];
        foreach (var x in inputs)
        {
            int n = x.Shape[Axis];
            Layout.CopyAlongAxis<T>(x.Span<T>(), output.Span<T>(), outer, n, zAxis, inner, offset);
            offset += n;
        }
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        var grads = new Node?[node.Inputs.Count];
        int offset = 0, rank = node.Shape.Rank;
        if (rank < 0)
            throw new GradientException($"Concat '{node.Name}': the gradient needs every input's rank; give '{node.Inputs.First(i => i.Shape.IsUnknownRank).Name}' a shape.");
        for (int k = 0; k < grads.Length; k++)
        {
            int n = node.Inputs[k].Shape[Axis];
            if (n == -1) throw new GradientException($"Concat '{node.Name}': the gradient needs input '{node.Inputs[k].Name}' to have a known size along axis {Axis}.");
            var begin = new int[rank];
            var size = Enumerable.Repeat(-1, rank).ToArray();
            begin[Axis] = offset; size[Axis] = n;
            grads[k] = dy.Slice(begin, size);
            offset += n;
        }
        return grads;
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        if (tangents.All(t => t is null)) return null;
        var parts = tangents.Select((t, i) => t ?? AD.ZerosLike(node.Inputs[i])).ToArray();
        return Node.Concat(parts, Axis);
    }
}

public sealed partial class Node
{
    /// <summary>Joins nodes of equal rank along <paramref name="axis"/>. The gradient of each input is the matching slice of dy.</summary>
    public static Node Concat(Node[] nodes, int axis)
    {
        if (nodes.Length == 0) throw new InvalidGraphArgumentException("Concat needs at least one node.");
        int rank = nodes[0].Shape.Rank;
        int a = axis < 0 && rank >= 0 ? axis + rank : axis;
        if (a < 0) throw new InvalidGraphArgumentException($"Concat: axis {axis} is out of range for rank {rank}.");
        return nodes[0].Graph.Apply(new ConcatOp(a), nodes);
    }
}
