namespace Nabla;

/// <summary>
/// The same elements with new dims (one may be -1, inferred), or with the shape of a second input.
/// VJP: reshape back to the input's shape.
/// </summary>
internal sealed class ReshapeOp(int[]? dims) : Op
{
    public int[]? Dims { get; } = dims;
    public override string Type => "Reshape";
    public override bool MayFailWhenRun => false;
    internal ReshapeOp(OpAttributes a) : this(a.IntsOrNull("shape")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("shape", Dims);
    public override string Attributes => Dims is null ? "" : $"shape=[{string.Join(", ", Dims)}]";
    public override DType InferDType(Node node) => node.Inputs[0].DType;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (Dims is null)
        {
            var like = inputShapes[1];
            if (x.IsFullyKnown && like.IsFullyKnown && x.Size != like.Size)
                throw OpChecks.Mismatch(node, inputShapes, $"{x.Size} elements cannot take shape {like} ({like.Size} elements).");
            return like;
        }
        long known = 1; // saturates past int.MaxValue: no tensor holds that many elements
        int unknownAt = -1;
        for (int i = 0; i < Dims.Length; i++)
        {
            if (Dims[i] == -1)
            {
                if (unknownAt >= 0) throw OpChecks.Mismatch(node, inputShapes, $"shape [{string.Join(", ", Dims)}] has more than one -1.");
                unknownAt = i;
            }
            else known = Math.Min(known * Dims[i], (long)int.MaxValue + 1);
        }
        if (!x.IsFullyKnown) return new Shape(Dims);
        var result = (int[])Dims.Clone();
        if (unknownAt >= 0)
        {
            if (known == 0 || x.Size % known != 0)
                throw OpChecks.Mismatch(node, inputShapes, $"{x.Size} elements cannot be reshaped to [{string.Join(", ", Dims)}].");
            result[unknownAt] = (int)(x.Size / known);
        }
        else if (known != x.Size)
            throw OpChecks.Mismatch(node, inputShapes, $"{x.Size} elements cannot be reshaped to [{string.Join(", ", Dims)}] ({(known > int.MaxValue ? $"more than {int.MaxValue}" : known)} elements).");
        return new Shape(result);
    }

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => inputs[0].CopyTo(output);
    public override int ViewedInput(Shape[] inputShapes, Shape output) => 0;

    public override Node?[] Vjp(Node node, Node dy) =>
        node.Inputs.Count == 2 ? [dy.ReshapeLike(node.Inputs[0]), null] : [dy.ReshapeLike(node.Inputs[0])];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new ReshapeOp(Dims), node.Inputs.Count == 2 ? [tangents[0]!, node.Inputs[1]] : [tangents[0]!]);
}

/// <summary>Inserts dims of size 1 at the given output axes (sorted). VJP: reshape back.</summary>
internal sealed class ExpandDimsOp(int[] axes) : Op
{
    public int[] Axes { get; } = axes;
    public override string Type => "ExpandDims";
    public override bool MayFailWhenRun => false;
    internal ExpandDimsOp(OpAttributes a) : this(a.Ints("axes")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("axes", Axes);
    public override string Attributes => $"axes=[{string.Join(", ", Axes)}]";

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (x.IsUnknownRank) return Shape.Unknown;
        var dims = new int[x.Rank + Axes.Length];
        for (int i = 0, j = 0; i < dims.Length; i++)
            dims[i] = Array.IndexOf(Axes, i) >= 0 ? 1 : x[j++];
        return new Shape(dims);
    }

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => inputs[0].CopyTo(output);
    public override int ViewedInput(Shape[] inputShapes, Shape output) => 0;
    public override Node?[] Vjp(Node node, Node dy) => [dy.ReshapeLike(node.Inputs[0])];
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : node.Graph.Apply(new ExpandDimsOp(Axes), [tangents[0]!]);
}

public sealed partial class Node
{
    /// <summary>The same elements in a new shape; one dim may be -1 and is inferred. The gradient is dy reshaped back to the input's shape.</summary>
    public Node Reshape(params int[] dims) => Graph.Apply(new ReshapeOp(dims), [this]);

    /// <summary>The same elements in the shape of <paramref name="like"/> (known when the session runs). The gradient is dy reshaped back to the input's shape; <paramref name="like"/> gets none.</summary>
    public Node ReshapeLike(Node like) =>
        like.Shape.IsFullyKnown ? (Shape == like.Shape ? this : Reshape(like.Shape.Dims)) : Graph.Apply(new ReshapeOp((int[]?)null), [this, like]);

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/>. The gradient is dy with that axis removed.</summary>
    public Node ExpandDims(int axis)
    {
        int a = axis < 0 ? axis + Shape.Rank + 1 : axis;
        if (a < 0 || (Shape.Rank >= 0 && a > Shape.Rank))
            throw new InvalidGraphArgumentException($"ExpandDims on '{Name}' {Shape}: axis {axis} is out of range.");
        return Graph.Apply(new ExpandDimsOp([a]), [this]);
    }
}
