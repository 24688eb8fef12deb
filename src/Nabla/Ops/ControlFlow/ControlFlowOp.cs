namespace Nabla;

/// <summary>
/// An op that runs function bodies (Cond, Scan, WhileLoop). It has one output: its only result, or with several
/// results all of them packed flat one after another (<see cref="Result"/> takes one out), so every result shares
/// one dtype. The session binds it to an <see cref="IFunctionRunner"/> before running it.
/// </summary>
internal abstract class ControlFlowOp : Op
{
    public override string? UnsavableReason => "it runs function bodies (subgraphs), which model files do not hold yet";
    private IFunctionRunner? _runner;

    /// <summary>How many results the op computes, including those it keeps for its derivatives.</summary>
    public abstract int ResultCount { get; }

    /// <summary>The dtype every result shares.</summary>
    public abstract DType ResultDType { get; }

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
    public override DType InferDType(Node node) => ResultDType;
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
        Packing.Pack(Run(inputs, runner), output);
    }

    /// <summary>Result <paramref name="index"/> of <paramref name="node"/> as a node of its own.</summary>
    public Node Result(Node node, int index) => Part(node, node, index);

    /// <summary>Part <paramref name="index"/> of a tensor laid out as this node's output (its value, a gradient or a tangent).</summary>
    public Node Part(Node node, Node packed, int index) =>
        ResultCount == 1 ? packed : node.Graph.Apply(new CallResultOp(this, node, index), [packed, .. node.InputArray], $"{node.Name.Split('/')[^1]}_{index}");

    /// <summary>Every part of <paramref name="packed"/>, laid out as this node's output.</summary>
    public Node[] Parts(Node node, Node packed) => [.. Enumerable.Range(0, ResultCount).Select(i => Part(node, packed, i))];

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
        foreach (var r in results)
        {
            Array.Copy(r.Buffer, 0, output.Buffer, offset, r.Size);
            offset += r.Size;
        }
    }
}
