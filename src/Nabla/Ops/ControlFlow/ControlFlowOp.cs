namespace Nabla;

/// <summary>
/// An op that runs function bodies (Cond, Scan, WhileLoop). It has one output: its only result, or with several
/// results all of them packed flat one after another (<see cref="Result"/> takes one out, in its own dtype). Results
/// of one dtype pack in it; mixed results pack as float64 when one is a float, else as int64 (see
/// <see cref="Packing.Carrier"/>). The session binds it to an <see cref="IFunctionRunner"/> before running it.
/// </summary>
internal abstract class ControlFlowOp : Op
{
    private IFunctionRunner? _runner;

    /// <summary>How many results the op computes, including those it keeps for its derivatives.</summary>
    public abstract int ResultCount { get; }

    /// <summary>Each result's dtype.</summary>
    public abstract DType[] ResultDTypes { get; }

    /// <summary>The dtype of the packed output: the results' own when they share one.</summary>
    public DType PackedDType => Packing.Carrier(ResultDTypes);

    /// <summary>Whether any result has derivatives (is float or double).</summary>
    protected bool HasFloatResults => ResultDTypes.Any(d => d.IsFloatingPoint());

    /// <summary>Gradients for integer and bool inputs are dropped: they have none.</summary>
    protected static Node?[] OnlyFloat(Node node, Node?[] grads)
    {
        for (int i = 0; i < grads.Length; i++)
            if (!node.Inputs[i].DType.IsFloatingPoint()) grads[i] = null;
        return grads;
    }

    /// <summary>Each result's shape for these input shapes (dims may be -1 when the node is built).</summary>
    public abstract Shape[] ResultShapes(Node node, Shape[] inputShapes);

    /// <summary>What <paramref name="node"/> runs, for tools that draw or describe it.</summary>
    public abstract ControlFlowInfo Describe(Node node);

    /// <summary>"captured x" for each parameter from <paramref name="from"/> on, naming the outer node that feeds it.</summary>
    protected static IEnumerable<string> CaptureRoles(Node node, int firstArgument, int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"captured {node.Inputs[firstArgument + i].Name}");

    /// <summary>Computes the results, running bodies through <paramref name="runner"/>.</summary>
    protected abstract Tensor[] Run(ReadOnlySpan<Tensor> inputs, IFunctionRunner runner);

    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override DType InferDType(Node node) => PackedDType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => Packing.PackedShape(ResultShapes(node, inputShapes));

    public override Op BindRunner(IFunctionRunner runner)
    {
        var bound = (ControlFlowOp)MemberwiseClone();
        bound._runner = runner;
        return bound;
    }

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var runner = _runner ?? throw new InvalidOperationException($"{Type} runs function bodies; run it through a Session.");
        RunInto(inputs, runner, output);
    }

    /// <summary>Computes the results into <paramref name="output"/>, packed; by default <see cref="Run"/> then a copy.</summary>
    protected virtual void RunInto(ReadOnlySpan<Tensor> inputs, IFunctionRunner runner, Tensor output) => Packing.Pack(Run(inputs, runner), output);

    /// <summary>Result <paramref name="index"/> of <paramref name="node"/> as a node of its own.</summary>
    public Node Result(Node node, int index) => Part(node, node, index);

    /// <summary>Part <paramref name="index"/> of a tensor laid out as this node's output (its value, a gradient or a tangent).</summary>
    public Node Part(Node node, Node packed, int index) =>
        ResultCount == 1 ? packed : node.Graph.Apply(new CallResultOp(this, node, index, readsCall: packed == node), [packed, .. node.InputArray], $"{node.Name.Split('/')[^1]}_{index}");

    /// <summary>Every part of <paramref name="packed"/>, laid out as this node's output.</summary>
    public Node[] Parts(Node node, Node packed) => [.. Enumerable.Range(0, ResultCount).Select(i => Part(node, packed, i))];

    /// <summary>Writes the body graph the functions share (attribute "body") and each function's parameters and results, as positions in its node list.</summary>
    protected static void WriteFunctions(OpAttributes a, params (string Name, FunctionBody Function)[] functions)
    {
        var body = functions[0].Function.Graph;
        if (functions.Any(f => f.Function.Graph != body))
            throw new InvalidGraphArgumentException($"{a.OpType}: its functions live in different body graphs, which a model file cannot hold.");
        a.Set("body", body);
        foreach (var (name, f) in functions)
        {
            a.Set($"{name}_parameters", f.Parameters.Select(p => p.Id).ToArray());
            a.Set($"{name}_results", f.Results.Select(r => r.Id).ToArray());
        }
    }

    /// <summary>The function <paramref name="name"/> written by <see cref="WriteFunctions"/>, checked against its body graph.</summary>
    protected static FunctionBody ReadFunction(OpAttributes a, string name)
    {
        var body = a.Graph("body");
        Node At(int id, string what) => (uint)id < (uint)body.Nodes.Count ? body.Nodes[id]
            : throw new InvalidGraphArgumentException($"{a.OpType}: {name} {what} {id} is not a node of its body graph, which has {body.Nodes.Count} nodes.");
        var parameters = a.Ints($"{name}_parameters").Select(id => At(id, "parameter")).ToArray();
        foreach (var p in parameters)
            if (p.Op.SourceKind != SourceKind.Placeholder)
                throw new InvalidGraphArgumentException($"{a.OpType}: {name} parameter '{p.Name}' is {p.OpType}, not a placeholder of its body graph.");
        return new FunctionBody(body, parameters, [.. a.Ints($"{name}_results").Select(id => At(id, "result"))]);
    }

    /// <summary>A typed error when a function read from a file does not fit its construct.</summary>
    protected static void Check(bool condition, OpAttributes a, string what)
    {
        if (!condition) throw new InvalidGraphArgumentException($"{a.OpType}: {what}.");
    }

    /// <summary>The input shapes without the first <paramref name="skip"/>.</summary>
    protected static Shape[] Tail(Shape[] shapes, int skip) => shapes[skip..];
}

/// <summary>How several results live in one flat output: one after another, each flattened.</summary>
internal static class Packing
{
    public static Shape PackedShape(Shape[] shapes)
    {
        if (shapes.Length == 1) return shapes[0];
        int total = 0;
        foreach (var s in shapes)
        {
            if (!s.IsFullyKnown) return new Shape([-1]);
            total += s.Size;
        }
        return new Shape([total]);
    }

    /// <summary>
    /// The dtype that holds results of these dtypes packed together: their own when they share one, float64 when one is
    /// a float (exact for float32, int32, bool and int64 up to 2⁵³), else int64.
    /// </summary>
    public static DType Carrier(IReadOnlyList<DType> dtypes)
    {
        if (dtypes.Count == 0 || dtypes.All(d => d == dtypes[0])) return dtypes.Count == 0 ? DType.Float32 : dtypes[0];
        return dtypes.Any(d => d.IsFloatingPoint()) ? DType.Float64 : DType.Int64;
    }

    public static void Pack(Tensor[] results, Tensor output)
    {
        if (results.Length == 1)
        {
            if (results[0].Shape != output.Shape)
                throw new ShapeMismatchException($"A control-flow result has shape {results[0].Shape} but {output.Shape} was inferred.");
            results[0].CopyTo(output);
            return;
        }
        int offset = 0;
        for (int k = 0; k < results.Length; k++)
        {
            var r = results[k];
            if (r.DType != output.DType)
            {
                if (r.DType == DType.Int64 && output.DType == DType.Float64) CheckExact(r, k);
                r = r.Cast(output.DType);
            }
            Array.Copy(r.Buffer, 0, output.Buffer, offset, r.Size);
            offset += r.Size;
        }
    }

    /// <summary>Fills <paramref name="part"/> from <paramref name="packed"/> starting at <paramref name="offset"/>, converting to its dtype.</summary>
    public static void Unpack(Tensor packed, int offset, Tensor part)
    {
        if (packed.DType == part.DType)
        {
            Array.Copy(packed.Buffer, offset, part.Buffer, 0, part.Size);
            return;
        }
        var slice = new Tensor(part.Shape, packed.DType);
        Array.Copy(packed.Buffer, offset, slice.Buffer, 0, part.Size);
        slice.ConvertInto(part);
    }

    private static void CheckExact(Tensor r, int index)
    {
        const long exact = 1L << 53;
        foreach (long v in r.Span<long>())
            if (v > exact || v < -exact)
                throw new DTypeMismatchException($"A control-flow construct's int64 result {index} holds {v}, beyond 2^53, and shares its packed output with float results, held as float64; return it from a construct of its own, or keep it within ±2^53.");
    }
}
