namespace Nabla;

/// <summary>
/// Result i of a control-flow node, taken from its packed output (or from a gradient or tangent laid out the same way).
/// Inputs: the packed tensor, then the control-flow node's inputs (for the results' shapes). Linear: VJP packs dy back
/// among zeros; JVP takes the same part of the tangent.
/// </summary>
internal sealed class CallResultOp(ControlFlowOp call, Node callNode, int index) : Op
{
    public int Index { get; } = index;
    public override string Type => "Result";
    public override string? UnsavableReason => "it reads a result of a control-flow node, which model files do not hold yet";
    public override string Attributes => $"index={Index}";
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override DType InferDType(Node node) => call.ResultDTypes[Index];
    public override Shape InferShape(Node node, Shape[] inputShapes) => call.ResultShapes(callNode, inputShapes[1..])[Index];

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var shapes = new Shape[inputs.Length - 1];
        for (int i = 1; i < inputs.Length; i++) shapes[i - 1] = inputs[i].Shape;
        var all = call.ResultShapes(callNode, shapes);
        int offset = 0;
        for (int i = 0; i < Index; i++) offset += all[i].Size;
        Packing.Unpack(inputs[0], offset, output);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        var parts = new Node[call.ResultCount];
        for (int i = 0; i < parts.Length; i++) parts[i] = i == Index ? dy : AD.ZerosLike(call.Result(callNode, i));
        var grads = new Node?[node.Inputs.Count];
        grads[0] = Pack.Of(parts, call.PackedDType);
        return grads;
    }

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : call.Part(callNode, tangents[0]!, Index);
}

/// <summary>Its inputs flattened and laid one after another in one rank-1 output. Linear: VJP hands each input its part of dy.</summary>
internal sealed class PackOp : Op
{
    public override string Type => "Pack";
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        int total = 0;
        foreach (var s in inputShapes)
        {
            if (!s.IsFullyKnown) return new Shape([-1]);
            total += s.Size;
        }
        return new Shape([total]);
    }

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        int offset = 0;
        foreach (var x in inputs)
        {
            Array.Copy(x.Buffer, 0, output.Buffer, offset, x.Size);
            offset += x.Size;
        }
    }

    public override Node?[] Vjp(Node node, Node dy) =>
        [.. Enumerable.Range(0, node.Inputs.Count).Select(i => node.Graph.Apply(new UnpackOp(i), [dy, .. node.InputArray]))];

    public override Node? Jvp(Node node, Node?[] tangents) =>
        node.Graph.Apply(new PackOp(), [.. node.InputArray.Select((x, i) => tangents[i] ?? AD.ZerosLike(x))]);
}

/// <summary>
/// Part i of a tensor packed by <see cref="PackOp"/>. Inputs: the packed tensor, then the packed pieces (for their shapes).
/// Linear: VJP packs dy among zeros; JVP takes the same part of the tangent.
/// </summary>
internal sealed class UnpackOp(int index) : Op
{
    public int Index { get; } = index;
    public override string Type => "Unpack";
    internal UnpackOp(OpAttributes a) : this(a.Int("index")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("index", Index);
    public override string Attributes => $"index={Index}";
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override DType InferDType(Node node) => node.Inputs[0].DType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[Index + 1];

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        int offset = 0;
        for (int i = 1; i <= Index; i++) offset += inputs[i].Size;
        Array.Copy(inputs[0].Buffer, offset, output.Buffer, 0, output.Size);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        var pieces = node.InputArray[1..];
        var grads = new Node?[node.Inputs.Count];
        grads[0] = Pack.Of([.. pieces.Select((p, i) => i == Index ? dy : AD.ZerosLike(p))]);
        return grads;
    }

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new UnpackOp(Index), [tangents[0]!, .. node.InputArray[1..]]);
}

internal static class Pack
{
    /// <summary>The pieces packed into one rank-1 node, or the piece itself when there is one.</summary>
    public static Node Of(Node[] pieces) => pieces.Length == 1 ? pieces[0] : pieces[0].Graph.Apply(new PackOp(), pieces);

    /// <summary>The pieces, each cast to <paramref name="dtype"/>, packed into one rank-1 node (laid out as a control-flow node's output).</summary>
    public static Node Of(Node[] pieces, DType dtype) => Of([.. pieces.Select(p => p.Cast(dtype))]);
}
