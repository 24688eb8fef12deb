namespace Nabla;

/// <summary>
/// Runs one of two functions of the same parameters: the true branch when the scalar bool predicate (input 0) is
/// true, else the false branch; only the taken branch runs. Inputs after the predicate feed the parameters (the
/// outer nodes the branches use). VJP: a Cond of the branches' VJPs; JVP: a Cond of the branches' JVPs.
/// </summary>
internal sealed class CondOp : ControlFlowOp
{
    public CondOp(FunctionBody whenTrue, FunctionBody whenFalse)
    {
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
        ResultDTypes = [.. whenTrue.Results.Select(r => r.DType)];
    }

    internal CondOp(OpAttributes a) : this(ReadFunction(a, "true"), ReadFunction(a, "false"))
    {
        Check(WhenTrue.Results.Count == WhenFalse.Results.Count && WhenTrue.Results.Count > 0, a, "the branches must give the same number of results, at least one");
        Check(WhenTrue.Parameters.SequenceEqual(WhenFalse.Parameters), a, "the branches must share their parameters");
    }

    public override void WriteAttributes(OpAttributes a) => WriteFunctions(a, ("true", WhenTrue), ("false", WhenFalse));

    public FunctionBody WhenTrue { get; }
    public FunctionBody WhenFalse { get; }
    public override string Type => "Cond";
    public override string Attributes => $"results={ResultCount}, captures={WhenTrue.Parameters.Count}";
    public override int ResultCount => WhenTrue.Results.Count;
    public override DType[] ResultDTypes { get; }

    public override ControlFlowInfo Describe(Node node) => new()
    {
        Construct = Type,
        Functions = [new("true branch", WhenTrue), new("false branch", WhenFalse)],
        FirstArgument = 1,
        ParameterRoles = [.. CaptureRoles(node, 1, 0, WhenTrue.Parameters.Count)],
        ResultRoles = [.. Enumerable.Range(0, ResultCount).Select(i => $"result {i}")],
        NodeResultRoles = [.. Enumerable.Range(0, ResultCount).Select(i => $"result {i}")],
    };

    public override Shape[] ResultShapes(Node node, Shape[] inputShapes)
    {
        var pred = inputShapes[0];
        if (!pred.IsUnknownRank && pred.IsFullyKnown && pred.Size != 1)
            throw OpChecks.Mismatch(node, inputShapes, "the predicate must hold one bool.");
        var args = Tail(inputShapes, 1);
        Shape[] t = WhenTrue.InferShapes(args), f = WhenFalse.InferShapes(args);
        var merged = new Shape[t.Length];
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i].IsFullyKnown && f[i].IsFullyKnown && t[i] != f[i])
                throw new ShapeMismatchException($"Cond '{node.Name}': result {i} is {t[i]} in the true branch but {f[i]} in the false branch; both branches must give results of one shape.");
            merged[i] = t[i] == f[i] ? t[i] : t[i].IsUnknownRank || f[i].IsUnknownRank || t[i].Rank != f[i].Rank
                ? Shape.Unknown
                : new Shape([.. Enumerable.Range(0, t[i].Rank).Select(d => t[i][d] == f[i][d] ? t[i][d] : -1)]);
        }
        return merged;
    }

    protected override Tensor[] Run(ReadOnlySpan<Tensor> inputs, IFunctionRunner runner)
    {
        var pred = inputs[0];
        if (pred.Size != 1)
            throw new ShapeMismatchException($"Cond: the predicate has shape {pred.Shape}; it must hold one bool.");
        return runner.Run(pred.GetFlat(0) != 0 ? WhenTrue : WhenFalse, inputs[1..]);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        var body = WhenTrue.Graph;
        var shapes = ResultShapes(node, [.. node.InputArray.Select(n => n.Shape)]);
        var dys = BodyBuilder.Parameters(body, "d_result", shapes.Select((s, i) => (s, ResultDTypes[i])));
        var p = WhenTrue.Parameters;
        Node?[] gT = BodyBuilder.Vjp(WhenTrue.Results, dys, p), gF = BodyBuilder.Vjp(WhenFalse.Results, dys, p);
        int[] has = [.. Enumerable.Range(0, p.Count).Where(i => gT[i] is not null || gF[i] is not null)];
        foreach (int i in has) { gT[i] ??= AD.ZerosLike(p[i]); gF[i] ??= AD.ZerosLike(p[i]); }
        var grads = new Node?[node.Inputs.Count];
        if (has.Length == 0) return grads;
        Node[] parameters = [.. p, .. dys];
        var op = new CondOp(new FunctionBody(body, parameters, [.. has.Select(i => gT[i]!)]),
            new FunctionBody(body, parameters, [.. has.Select(i => gF[i]!)]));
        var grad = node.Graph.Apply(op, [.. node.InputArray, .. Parts(node, dy)], "CondGrad");
        for (int k = 0; k < has.Length; k++) grads[has[k] + 1] = op.Result(grad, k);
        return grads;
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        if (!HasFloatResults) return null;
        int[] with = BodyBuilder.WithTangent(node, tangents, 1);
        if (with.Length == 0) return null;
        var body = WhenTrue.Graph;
        var xs = with.Select(i => WhenTrue.Parameters[i - 1]).ToArray();
        var ts = BodyBuilder.ParametersLike(body, "tangent", xs);
        Node[] parameters = [.. WhenTrue.Parameters, .. ts];
        var op = new CondOp(new FunctionBody(body, parameters, BodyBuilder.Jvp(WhenTrue.Results, xs, ts)),
            new FunctionBody(body, parameters, BodyBuilder.Jvp(WhenFalse.Results, xs, ts)));
        return node.Graph.Apply(op, [.. node.InputArray, .. with.Select(i => tangents[i]!)], "CondJvp");
    }
}

public sealed partial class Graph
{
    /// <summary>
    /// <paramref name="trueBranch"/>'s results when the scalar bool <paramref name="predicate"/> is true, else
    /// <paramref name="falseBranch"/>'s (as tf.cond / lax.cond); only the taken branch runs. Each branch builds its
    /// nodes with ordinary ops and may use nodes and variables of this graph. Both return the same number of results,
    /// with matching shapes and each result one dtype in both branches (results may differ in dtype: a float and a bool). Derivative: the derivative of the taken branch (a Cond of the branches'
    /// VJPs, or JVPs); none through the predicate.
    /// </summary>
    public Node[] Cond(Node predicate, Func<Node[]> trueBranch, Func<Node[]> falseBranch, string name = "Cond")
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(trueBranch);
        ArgumentNullException.ThrowIfNull(falseBranch);
        var g = Innermost;
        return g == this ? BuildCond(predicate, trueBranch, falseBranch, name) : g.BuildCond(predicate, trueBranch, falseBranch, name);
    }

    private Node[] BuildCond(Node predicate, Func<Node[]> trueBranch, Func<Node[]> falseBranch, string name)
    {
        predicate = Capture(predicate, name);
        if (predicate.DType != DType.Bool)
            throw new DTypeMismatchException($"Cond '{name}': the predicate '{predicate.Name}' is {predicate.DType.Name()}; give a bool (a comparison such as x.Greater(0)).");
        var body = CreateBody();
        Node[] t, f;
        using (Building(body))
        using (body.NameScope(name))
        {
            using (body.NameScope("true")) t = BodyBuilder.Results(body, trueBranch(), name, "the true branch");
            using (body.NameScope("false")) f = BodyBuilder.Results(body, falseBranch(), name, "the false branch");
        }
        if (t.Length != f.Length || t.Length == 0)
            throw new InvalidGraphArgumentException($"Cond '{name}': the true branch returns {t.Length} results and the false branch {f.Length}; return the same number, at least one.");
        for (int i = 0; i < t.Length; i++)
            if (t[i].DType != f[i].DType)
                throw new DTypeMismatchException($"Cond '{name}': result {i} is {t[i].DType.Name()} in the true branch ('{t[i].Name}') but {f[i].DType.Name()} in the false branch ('{f[i].Name}'); both branches must give each result one dtype. Cast one of them.");
        Node[] parameters = [.. body.Captures.Select(c => c.Inner)];
        var op = new CondOp(new FunctionBody(body, parameters, t), new FunctionBody(body, parameters, f));
        var node = Apply(op, [predicate, .. body.Captures.Select(c => c.Outer)], name);
        return [.. Enumerable.Range(0, t.Length).Select(i => op.Result(node, i))];
    }

    /// <summary>
    /// The one result of <paramref name="trueBranch"/> when <paramref name="predicate"/> is true, else of
    /// <paramref name="falseBranch"/>; only the taken branch runs. Derivative: the taken branch's. See
    /// <see cref="Cond(Node, Func{Node[]}, Func{Node[]}, string)"/>.
    /// </summary>
    public Node Cond(Node predicate, Func<Node> trueBranch, Func<Node> falseBranch, string name = "Cond") =>
        Cond(predicate, () => [trueBranch()], () => [falseBranch()], name)[0];
}
