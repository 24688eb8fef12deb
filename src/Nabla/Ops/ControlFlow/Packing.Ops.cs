namespace Nabla;

/// <summary>
/// Result i of a control-flow node, taken from its packed output (or from a gradient or tangent laid out the same way),
/// in the result's own dtype. Inputs: the packed tensor, then the control-flow node's inputs (for the results' shapes).
/// Linear: VJP packs dy back among zeros; JVP takes the same part of the tangent. In a model file it holds its index,
/// and its construct as an op attribute unless it reads the construct's node (then the first input gives it).
/// </summary>
internal sealed class CallResultOp : Op
{
    private ControlFlowOp? _call;
    private Node? _callNode;
    private readonly bool _readsCall;

    /// <summary>Part <paramref name="index"/> of <paramref name="call"/>'s layout; <paramref name="readsCall"/> when the packed input is <paramref name="callNode"/> itself.</summary>
    public CallResultOp(ControlFlowOp call, Node? callNode, int index, bool readsCall)
    {
        _call = call;
        _callNode = callNode;
        Index = index;
        _readsCall = readsCall;
    }

    internal CallResultOp(OpAttributes a)
    {
        Index = a.Int("index");
        _readsCall = !a.Has("call");
        if (!_readsCall)
            _call = a.Op("call") as ControlFlowOp ?? throw new InvalidGraphArgumentException($"Result: its call attribute is {a.Op("call").Type}, not a control-flow op.");
    }

    public override void WriteAttributes(OpAttributes a)
    {
        a.Set("index", Index);
        if (!_readsCall) a.Set("call", _call);
    }

    public int Index { get; }
    public override string Type => "Result";
    public override string Attributes => $"index={Index}";
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override DType InferDType(Node node) => Call(node).ResultDTypes[Index];
    public override Shape InferShape(Node node, Shape[] inputShapes) => Call(node).ResultShapes(_callNode ?? node, inputShapes[1..])[Index];

    /// <summary>The construct whose result this is: given when built, or (read from a file) the op of the node it reads.</summary>
    private ControlFlowOp Call(Node node)
    {
        _callNode ??= _readsCall ? node.Inputs[0] : node;  // the node errors name
        if (_call is not null) return _call;
        _callNode = node.Inputs[0];
        _call = _callNode.Op as ControlFlowOp
            ?? throw new InvalidGraphArgumentException($"Result '{node.Name}' reads '{_callNode.Name}' ({_callNode.OpType}), which is not a control-flow node.");
        if ((uint)Index >= (uint)_call.ResultCount)
            throw new InvalidGraphArgumentException($"Result '{node.Name}' takes result {Index} of '{_callNode.Name}', which has {_call.ResultCount}.");
        return _call;
    }

    /// <summary>The offset found for the last input shapes: working it out infers the shapes of the whole body.</summary>
    private sealed record Located(Shape[] InputShapes, int Offset);
    private Located? _last;

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var call = _call ?? throw new InvalidOperationException("Result: its construct is known once its node is built.");
        var last = _last;
        if (last is null || !Same(last.InputShapes, inputs))
        {
            var shapes = new Shape[inputs.Length - 1];
            for (int i = 1; i < inputs.Length; i++) shapes[i - 1] = inputs[i].Shape;
            var all = call.ResultShapes(_callNode!, shapes);
            int offset = 0;
            for (int i = 0; i < Index; i++) offset += all[i].Size;
            _last = last = new Located(shapes, offset);
        }
        Packing.Unpack(inputs[0], last.Offset, output);
    }

    private static bool Same(Shape[] shapes, ReadOnlySpan<Tensor> inputs)
    {
        for (int i = 1; i < inputs.Length; i++)
            if (inputs[i].Shape != shapes[i - 1]) return false;
        return true;
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        var call = Call(node);
        var parts = new Node[call.ResultCount];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = i == Index ? dy : AD.ZerosLike(node.Graph.Apply(new CallResultOp(call, _callNode, i, _readsCall), node.InputArray));
        var grads = new Node?[node.Inputs.Count];
        grads[0] = Pack.Of(parts, call.PackedDType);
        return grads;
    }

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new CallResultOp(Call(node), _callNode, Index, readsCall: false), [tangents[0]!, .. node.InputArray[1..]]);
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
