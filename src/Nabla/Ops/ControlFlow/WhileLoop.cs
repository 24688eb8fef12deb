namespace Nabla;

/// <summary>
/// Repeats a body while a condition holds (as tf.while_loop): vars ← body(vars) while condition(vars), at most
/// <see cref="MaximumIterations"/> times when that is set (-1: no bound); each run counts its own iterations. Inputs:
/// the initial loop variables, then the outer nodes the functions use. Results: the final loop variables; a storing
/// copy (the one reverse mode builds) also gives the variables entering each iteration, stacked
/// [maximumIterations, ...] (rows past the last iteration hold the final values), and the iteration count.
/// VJP (bounded loops only): runs the storing copy, then a reverse Scan over its rows whose step is the body's VJP on
/// the rows that ran and the identity on the others. JVP: a WhileLoop of the body together with its JVP.
/// </summary>
internal sealed class WhileLoopOp : ControlFlowOp
{
    public WhileLoopOp(FunctionBody condition, FunctionBody body, int maximumIterations, bool stores = false, bool counts = false)
    {
        Stores = stores && maximumIterations >= 0;
        Counts = counts || Stores;
        Condition = condition;
        Body = body;
        MaximumIterations = maximumIterations;
        var vars = body.Results.Select(n => n.DType).ToArray();
        // The count shares the variables' dtype when they have one numeric dtype, so counting adds no conversion.
        CountDType = vars.All(d => d == vars[0]) && vars[0] != DType.Bool ? vars[0] : DType.Int32;
        ResultDTypes = [.. vars, .. Stores ? vars : [], .. Counts ? [CountDType] : Array.Empty<DType>()];
    }

    internal WhileLoopOp(OpAttributes a)
        : this(ReadFunction(a, "condition"), ReadFunction(a, "body"), a.Int("maximum_iterations"), a.Bool("stores"), a.Bool("counts"))
    {
        Check(Condition.Results.Count == 1, a, "the condition must give one result");
        Check(Body.Results.Count > 0 && Body.Results.Count <= Body.Parameters.Count && Condition.Parameters.SequenceEqual(Body.Parameters), a,
            "the body must give one value per loop variable and share its parameters with the condition");
    }

    public override void WriteAttributes(OpAttributes a)
    {
        WriteFunctions(a, ("condition", Condition), ("body", Body));
        a.Set("maximum_iterations", MaximumIterations).Set("stores", Stores).Set("counts", Counts);
    }

    public FunctionBody Condition { get; }
    public FunctionBody Body { get; }
    public int MaximumIterations { get; }
    public int Vars => Body.Results.Count;
    /// <summary>Whether the loop keeps each iteration's variables and its count as results (the copy that reverse mode runs).</summary>
    public bool Stores { get; }
    /// <summary>Whether the loop gives the number of iterations it ran as its last result.</summary>
    public bool Counts { get; }
    public override string Type => "WhileLoop";
    public override string Attributes => $"vars={Vars}, captures={Body.Parameters.Count - Vars}" + (MaximumIterations >= 0 ? $", maximum_iterations={MaximumIterations}" : "") + (Stores ? ", stores" : Counts ? ", counts" : "");
    public override int ResultCount => Stores ? 2 * Vars + 1 : Counts ? Vars + 1 : Vars;
    public override DType[] ResultDTypes { get; }

    /// <summary>The dtype of the iteration count, the last result of a counting loop.</summary>
    public DType CountDType { get; }

    public override ControlFlowInfo Describe(Node node) => new()
    {
        Construct = Type,
        Functions = [new("condition", Condition), new("body", Body)],
        FirstArgument = 0,
        ParameterRoles = [.. Enumerable.Range(0, Vars).Select(i => $"variable {i}"), .. CaptureRoles(node, 0, Vars, Body.Parameters.Count - Vars)],
        ResultRoles = [.. Enumerable.Range(0, Vars).Select(i => $"next variable {i}")],
        NodeResultRoles = [.. Enumerable.Range(0, Vars).Select(i => $"final variable {i}"),
            .. Stores ? Enumerable.Range(0, Vars).Select(i => $"variable {i} entering each iteration (kept for reverse mode)") : [],
            .. Counts ? ["iterations run"] : Array.Empty<string>()],
        Carried = [.. Enumerable.Range(0, Vars).Select(i => (i, i))],
        MaximumIterations = MaximumIterations >= 0 ? MaximumIterations : null,
    };

    public override Shape[] ResultShapes(Node node, Shape[] inputShapes) => Shapes($"WhileLoop '{node.Name}'", inputShapes);

    private Shape[] Shapes(string where, Shape[] inputShapes)
    {
        var after = Body.InferShapes(inputShapes);
        var result = new Shape[ResultCount];
        for (int i = 0; i < Vars; i++)
        {
            var before = inputShapes[i];
            if (before.IsFullyKnown && after[i].IsFullyKnown && before != after[i])
                throw new ShapeMismatchException($"{where}: loop variable {i} has shape {before} entering an iteration and {after[i]} leaving it; loop variables must keep their shape (pad or slice to a fixed shape).");
            result[i] = before.IsFullyKnown ? before : after[i];
            if (Stores) result[Vars + i] = result[i].IsUnknownRank ? Shape.Unknown : new Shape([MaximumIterations, .. result[i].Dims]);
        }
        if (Counts) result[^1] = Shape.Scalar;
        var c = Condition.InferShapes(inputShapes)[0];
        if (c.IsFullyKnown && c.Size != 1)
            throw new ShapeMismatchException($"{where}: the condition gives shape {c}; it must give one bool.");
        return result;
    }

    protected override Tensor[] Run(ReadOnlySpan<Tensor> inputs, IFunctionRunner runner)
    {
        var args = inputs.ToArray();
        var results = new Tensor[ResultCount];
        if (Counts)
        {
            var shapes = new Shape[inputs.Length];
            for (int i = 0; i < shapes.Length; i++) shapes[i] = inputs[i].Shape;
            var resultShapes = Shapes("WhileLoop", shapes);
            for (int i = Vars; i < results.Length; i++) results[i] = new Tensor(resultShapes[i], ResultDTypes[i]);
        }
        int n = 0;
        while ((MaximumIterations < 0 || n < MaximumIterations) && runner.Run(Condition, args)[0].GetFlat(0) != 0)
        {
            if (Stores) for (int i = 0; i < Vars; i++) Store(args[i], results[Vars + i], n);
            var next = runner.Run(Body, args);
            for (int i = 0; i < Vars; i++)
            {
                if (next[i].Shape != args[i].Shape)
                    throw new ShapeMismatchException($"WhileLoop: loop variable {i} has shape {args[i].Shape} entering iteration {n} and {next[i].Shape} leaving it; loop variables must keep their shape.");
                args[i] = next[i];
            }
            n++;
        }
        for (int i = 0; i < Vars; i++) results[i] = args[i];
        if (Stores)
            for (int t = n; t < MaximumIterations; t++)
                for (int i = 0; i < Vars; i++) Store(args[i], results[Vars + i], t);
        if (Counts) results[^1].SetFlat(0, n);
        return results;
    }

    private static void Store(Tensor value, Tensor stacked, int row) => Array.Copy(value.Buffer, 0, stacked.Buffer, row * value.Size, value.Size);

    public override Node?[] Vjp(Node node, Node dy)
    {
        if (MaximumIterations < 0)
            throw new GradientException($"WhileLoop '{node.Name}' has no maximumIterations: reverse mode stores each iteration's loop variables and needs a bound for them. Give maximumIterations (as TensorFlow's XLA path requires), or use Scan for a fixed number of steps. Forward mode (Jvp) works without a bound.");
        if (!HasFloatResults) return new Node?[node.Inputs.Count];
        if (Stores) return Backward(node, Parts(node, dy));
        // Recompute: a copy of the loop on the same inputs that also stores each iteration's variables.
        var stored = new WhileLoopOp(Condition, Body, MaximumIterations, stores: true);
        var twin = node.Graph.Apply(stored, node.InputArray, "WhileLoopStored");
        var dVars = Parts(node, dy)[..Vars];
        return stored.Backward(twin, [.. dVars, .. Enumerable.Range(Vars, Vars).Select(i => AD.ZerosLike(stored.Result(twin, i)))]);
    }

    /// <summary>The VJP of a storing loop, given the gradients of its final variables and of its stored rows.</summary>
    private Node?[] Backward(Node node, Node[] parts)
    {
        var grads = new Node?[node.Inputs.Count];
        int nv = Vars, nk = Body.Parameters.Count - nv;
        var p = Body.Parameters;
        var body = Body.Graph;
        Node[] v = [.. p.Take(nv)], k = [.. p.Skip(nv)];
        Node[] gV = BodyBuilder.ParametersLike(body, "d_var", v);
        Node[] dS = BodyBuilder.ParametersLike(body, "d_stored_var", v);
        var active = body.Placeholder("ran", Shape.Scalar, DType.Bool);
        var d = BodyBuilder.Vjp(Body.Results, gV, [.. v, .. k]);
        int[] kf = BodyBuilder.Connected(d, nv, nk);
        Node[] gK = BodyBuilder.ParametersLike(body, "d_capture_sum", kf.Select(j => k[j]));
        Node[] stepResults =
        [
            .. Enumerable.Range(0, nv).Select(i => Node.Where(active, d[i] ?? AD.ZerosLike(v[i]), gV[i]) + dS[i]),
            .. Enumerable.Range(0, kf.Length).Select(j => Node.Where(active, gK[j] + d[nv + kf[j]]!, gK[j])),
        ];
        if (stepResults.Length == 0) return grads;
        Node[] stepParameters = [.. gV, .. gK, .. v, active, .. dS, .. k];
        var backward = new ScanOp(new FunctionBody(body, stepParameters, stepResults), nv + kf.Length, 2 * nv + 1, reverse: true, -1);
        var inputs = node.InputArray;
        var graph = node.Graph;
        var ran = graph.Range(0, MaximumIterations, 1, CountDType).Less(Result(node, ResultCount - 1));
        Node[] backwardInputs =
        [
            .. parts[..nv], .. kf.Select(j => AD.ZerosLike(inputs[nv + j])),
            .. Enumerable.Range(nv, nv).Select(i => Result(node, i)), ran, .. parts[nv..(2 * nv)], .. inputs[nv..],
        ];
        var g = graph.Apply(backward, backwardInputs, "WhileLoopGrad");
        for (int i = 0; i < nv; i++) grads[i] = backward.Result(g, i);
        for (int j = 0; j < kf.Length; j++) grads[nv + kf[j]] = backward.Result(g, nv + j);
        return OnlyFloat(node, grads);
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        if (!HasFloatResults) return null;
        int nv = Vars, nk = Body.Parameters.Count - nv;
        var p = Body.Parameters;
        var body = Body.Graph;
        var inputs = node.InputArray;
        Node[] v = [.. p.Take(nv)], k = [.. p.Skip(nv)];
        int[] kt = [.. Enumerable.Range(0, nk).Where(j => tangents[nv + j] is not null && k[j].DType.IsFloatingPoint())];
        if (kt.Length == 0 && Enumerable.Range(0, nv).All(i => tangents[i] is null)) return null;
        Node[] tV = BodyBuilder.ParametersLike(body, "tangent_var", v), tK = BodyBuilder.ParametersLike(body, "tangent_capture", kt.Select(j => k[j]));
        var jv = BodyBuilder.Jvp(Body.Results, [.. v, .. kt.Select(j => k[j])], [.. tV, .. tK]);
        Node[] parameters = [.. v, .. tV, .. k, .. tK];
        var op = new WhileLoopOp(new FunctionBody(body, parameters, [.. Condition.Results]),
            new FunctionBody(body, parameters, [.. Body.Results, .. jv]), MaximumIterations, Stores, Counts);
        Node[] opInputs =
        [
            .. inputs[..nv], .. Enumerable.Range(0, nv).Select(i => tangents[i] ?? AD.ZerosLike(inputs[i])),
            .. inputs[nv..], .. kt.Select(j => tangents[nv + j]!),
        ];
        var t = node.Graph.Apply(op, opInputs, "WhileLoopJvp");
        var tangentVars = Enumerable.Range(nv, nv).Select(i => op.Result(t, i));
        return Pack.Of(
        [
            .. tangentVars, .. Stores ? Enumerable.Range(3 * nv, nv).Select(i => op.Result(t, i)) : [],
            .. Counts ? [AD.ZerosLike(Result(node, ResultCount - 1))] : Array.Empty<Node>(),
        ], PackedDType);
    }
}

public sealed partial class Graph
{
    /// <summary>
    /// Repeats <paramref name="body"/> while <paramref name="condition"/> holds (as tf.while_loop): starting from
    /// <paramref name="loopVars"/>, vars ← body(vars) as long as condition(vars) gives true and, when
    /// <paramref name="maximumIterations"/> is set, at most that many times. Each run counts its own iterations (the
    /// count may depend on the data). Both functions build nodes with ordinary ops and may use outer nodes and
    /// variables; the condition returns a scalar bool; loop variables keep their shapes and dtypes, and may differ in dtype (an int32 counter beside a float value).
    /// Derivative: forward mode runs the loop together with the body's JVP. Reverse mode needs
    /// <paramref name="maximumIterations"/>: the gradient runs the loop again storing the variables entering each
    /// iteration, then a reverse Scan over them whose step is the body's VJP; without a bound Gradients throws
    /// <see cref="GradientException"/>.
    /// </summary>
    public Node[] WhileLoop(Func<Node[], Node> condition, Func<Node[], Node[]> body, Node[] loopVars, int? maximumIterations = null, string name = "WhileLoop")
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(loopVars);
        if (loopVars.Length == 0)
            throw new InvalidGraphArgumentException($"WhileLoop '{name}': give at least one loop variable.");
        if (maximumIterations is < 0)
            throw new InvalidGraphArgumentException($"WhileLoop '{name}': maximumIterations {maximumIterations} must be 0 or more.");
        return Innermost.BuildWhileLoop(condition, body, loopVars, maximumIterations ?? -1, name);
    }

    /// <summary>
    /// How many iterations the WhileLoop node <paramref name="loop"/> (or a node reading one of its results) runs, as
    /// an int32 scalar: a copy of the loop on the same inputs that also counts. Not differentiable.
    /// </summary>
    public Node IterationCount(Node loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        if (loop.Op is CallResultOp && loop.Inputs[0].Op is WhileLoopOp) loop = loop.Inputs[0];
        if (loop.Op is not WhileLoopOp op)
            throw new InvalidGraphArgumentException($"IterationCount: '{loop.Name}' is {loop.OpType}, not a WhileLoop node or one of its results.");
        var counting = new WhileLoopOp(op.Condition, op.Body, op.MaximumIterations, counts: true);
        var twin = loop.Graph.Apply(counting, loop.InputArray, loop.Name.Split('/')[^1] + "_counting");
        var count = counting.Result(twin, counting.ResultCount - 1);
        return count.DType == DType.Int32 ? count : count.Cast(DType.Int32);
    }

    private Node[] BuildWhileLoop(Func<Node[], Node> condition, Func<Node[], Node[]> bodyFunction, Node[] loopVars, int maximumIterations, string name)
    {
        loopVars = [.. loopVars.Select(n => Capture(n, name))];
        var body = CreateBody();
        Node[] vars, next;
        Node keepGoing;
        using (Building(body))
        using (body.NameScope(name))
        {
            vars = BodyBuilder.ParametersLike(body, "var", loopVars);
            using (body.NameScope("condition")) keepGoing = BodyBuilder.Results(body, [condition(vars)], name, "the condition")[0];
            using (body.NameScope("body")) next = BodyBuilder.Results(body, bodyFunction(vars), name, "the body");
        }
        if (keepGoing.DType != DType.Bool)
            throw new DTypeMismatchException($"WhileLoop '{name}': the condition gives '{keepGoing.Name}' of {keepGoing.DType.Name()}; return a bool (a comparison such as x.Less(10)).");
        if (next.Length != loopVars.Length)
            throw new InvalidGraphArgumentException($"WhileLoop '{name}': the body returns {next.Length} values for {loopVars.Length} loop variables; return one per variable.");
        for (int i = 0; i < next.Length; i++)
            if (next[i].DType != loopVars[i].DType)
                throw new DTypeMismatchException($"WhileLoop '{name}': loop variable {i} starts as {loopVars[i].DType.Name()} ('{loopVars[i].Name}') but the body returns {next[i].DType.Name()}; keep each variable's dtype.");
        Node[] parameters = [.. vars, .. body.Captures.Select(c => c.Inner)];
        var op = new WhileLoopOp(new FunctionBody(body, parameters, [keepGoing]), new FunctionBody(body, parameters, next), maximumIterations);
        var node = Apply(op, [.. loopVars, .. body.Captures.Select(c => c.Outer)], name);
        return [.. Enumerable.Range(0, next.Length).Select(i => op.Result(node, i))];
    }
}
