namespace Nabla;

/// <summary>
/// Rows of a table by id (an embedding lookup): table [V, ...], ids [...] (int32, int64, or whole numbers in the table's
/// dtype) → [...ids, ...].
/// VJP: the table's gradient scatter-adds dy into the rows that were read (ScatterAdd); ids get none.
/// JVP: the gather of the table's tangent.
/// </summary>
internal sealed class GatherOp : Op
{
    public override string Type => "Gather";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();

    public override DType InferDType(Node node)
    {
        Node table = node.Inputs[0], ids = node.Inputs[1];
        return Ids.Accepts(ids.DType, table.DType) ? table.DType : throw Ids.WrongDType(node, ids, table.DType);
    }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape table = inputShapes[0], ids = inputShapes[1];
        if (table.IsUnknownRank || ids.IsUnknownRank) return Shape.Unknown;
        if (table.Rank < 1)
            throw OpChecks.Mismatch(node, inputShapes, "the table must have rank 1 or more (rows first).");
        return new Shape([.. ids.Dims, .. table.Dims[1..]]);
    }

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor table = inputs[0], ids = inputs[1];
        int rows = table.Shape[0], width = rows == 0 ? 0 : table.Size / rows;
        using var valid = new Ids(ids, rows).RequireValid(ids, rows, "Gather", "index");
        Kernels.Indexing.Gather(table.Span<T>(), width, valid.Span, output.Span<T>());
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node table = node.Inputs[0], ids = node.Inputs[1];
        return [node.Graph.Apply(new ScatterAddOp(), [dy, ids, table], "ScatterAdd"), null];
    }

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0]?.Gather(node.Inputs[1]);
}

/// <summary>
/// A zero tensor shaped like a table [V, ...] with updates [...ids, ...] added to the rows named by ids (repeats
/// accumulate). Linear in the updates; VJP: Gather of dy (the adjoint); JVP: ScatterAdd of the tangent.
/// The third input only gives the shape.
/// </summary>
internal sealed class ScatterAddOp : Op
{
    public override string Type => "ScatterAdd";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    public override DType InferDType(Node node) => node.Inputs[0].DType;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape updates = inputShapes[0], ids = inputShapes[1], table = inputShapes[2];
        if (updates.IsUnknownRank || ids.IsUnknownRank || table.IsUnknownRank) return table;
        var expected = table.Rank < 1 ? null : new Shape([.. ids.Dims, .. table.Dims[1..]]);
        if (expected is null || !expected.IsCompatibleWith(updates))
            throw OpChecks.Mismatch(node, inputShapes, $"updates must have shape ids ++ table[1..] = {expected?.ToString() ?? "?"}.");
        return table;
    }

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor updates = inputs[0], ids = inputs[1];
        int rows = output.Shape[0], width = rows == 0 ? 0 : output.Size / rows;
        using var valid = new Ids(ids, rows).RequireValid(ids, rows, "ScatterAdd", "index");
        Kernels.Indexing.ScatterAdd(updates.Span<T>(), valid.Span, output.Span<T>(), width);
    }

    public override Node?[] Vjp(Node node, Node dy) => [dy.Gather(node.Inputs[1]), null, null];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new ScatterAddOp(), [tangents[0]!, node.Inputs[1], node.Inputs[2]], "ScatterAdd");
}

public sealed partial class Node
{
    /// <summary>
    /// Rows of this table [V, ...] picked by <paramref name="indices"/> (int32 or int64 ids; whole numbers in the table's dtype are accepted too):
    /// shape [...indices, ...]. Gradient flows to the table only. An id outside [0, V) throws when the session runs.
    /// The table's gradient adds dy into the rows that were read (repeats accumulate); the indices get none.
    /// </summary>
    public Node Gather(Node indices) => Graph.Apply(new GatherOp(), [this, indices]);
}
