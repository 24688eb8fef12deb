namespace Nabla;

/// <summary>
/// Runs a step function along the leading axis of its elements (as lax.scan): carry, yₜ = step(carry, xₜ), in order or
/// reversed. Inputs: the initial carries, the elements (each [T, ...]), then the outer nodes the step uses. Results:
/// the final carries, the outputs stacked [T, ...], and — kept for reverse mode — the carry entering each step,
/// stacked [T, ...]. VJP: a Scan in the other direction over those stored carries, whose step is the step's VJP
/// (gradients for the captured nodes summed in its carry). JVP: a Scan of the step together with its JVP.
/// </summary>
internal sealed class ScanOp : ControlFlowOp
{
    public ScanOp(FunctionBody step, int carries, int elems, bool reverse, int length)
    {
        Step = step;
        Carries = carries;
        Elems = elems;
        Reverse = reverse;
        Length = length;
        var r = step.Results.Select(n => n.DType).ToArray();
        ResultDTypes = [.. r, .. r[..carries]];
        _mixed = ResultDTypes.Distinct().Count() > 1;
    }

    internal ScanOp(OpAttributes a) : this(ReadFunction(a, "step"), a.Int("carries"), a.Int("elems"), a.Bool("reverse"), a.Int("length"))
    {
        Check(Carries >= 0 && Elems >= 0 && Carries + Elems <= Step.Parameters.Count && Carries <= Step.Results.Count, a,
            $"{Carries} carries and {Elems} elements do not fit a step of {Step.Parameters.Count} parameters and {Step.Results.Count} results");
    }

    public override void WriteAttributes(OpAttributes a)
    {
        WriteFunctions(a, ("step", Step));
        a.Set("carries", Carries).Set("elems", Elems).Set("reverse", Reverse).Set("length", Length);
    }

    public FunctionBody Step { get; }
    public int Carries { get; }
    public int Elems { get; }
    public bool Reverse { get; }
    /// <summary>The number of steps when there are no elements; -1 when the elements' leading axis gives it.</summary>
    public int Length { get; }
    public int Outputs => Step.Results.Count - Carries;
    public int Captures => Step.Parameters.Count - Carries - Elems;
    public override string Type => "Scan";
    public override string Attributes => $"carries={Carries}, elems={Elems}, outputs={Outputs}, captures={Captures}{(Reverse ? ", reverse" : "")}{(Length >= 0 ? $", length={Length}" : "")}";
    public override int ResultCount => 2 * Carries + Outputs;
    public override DType[] ResultDTypes { get; }
    private readonly bool _mixed;

    public override ControlFlowInfo Describe(Node node)
    {
        int steps = Length;
        for (int j = 0; j < Elems && steps < 0; j++)
            if (node.Inputs[Carries + j].Shape is { IsUnknownRank: false } e && e[0] >= 0) steps = e[0];
        return new()
        {
            Construct = Type,
            Functions = [new("step", Step)],
            FirstArgument = 0,
            ParameterRoles = [.. Enumerable.Range(0, Carries).Select(i => $"carry {i}"), .. Enumerable.Range(0, Elems).Select(j => $"element {j}"),
                .. CaptureRoles(node, 0, Carries + Elems, Captures)],
            ResultRoles = [.. Enumerable.Range(0, Carries).Select(i => $"next carry {i}"), .. Enumerable.Range(0, Outputs).Select(j => $"output {j}")],
            NodeResultRoles = [.. Enumerable.Range(0, Carries).Select(i => $"final carry {i}"), .. Enumerable.Range(0, Outputs).Select(j => $"outputs {j}, stacked"),
                .. Enumerable.Range(0, Carries).Select(i => $"carry {i} entering each step (kept for reverse mode)")],
            Carried = [.. Enumerable.Range(0, Carries).Select(i => (i, i))],
            Steps = steps >= 0 ? steps : null,
            Reverse = Reverse,
        };
    }

    public override Shape[] ResultShapes(Node node, Shape[] inputShapes) => Shapes($"Scan '{node.Name}'", inputShapes);

    private Shape[] Shapes(string where, Shape[] inputShapes)
    {
        int steps = Length;
        var parameterShapes = new Shape[Step.Parameters.Count];
        for (int i = 0; i < Carries; i++) parameterShapes[i] = inputShapes[i];
        for (int j = 0; j < Elems; j++)
        {
            var e = inputShapes[Carries + j];
            if (e.IsUnknownRank) { parameterShapes[Carries + j] = Shape.Unknown; continue; }
            if (e.Rank == 0)
                throw new ShapeMismatchException($"{where}: element {j} is a scalar; elements are scanned along their leading axis, so give them rank 1 or more.");
            if (e[0] >= 0 && steps >= 0 && e[0] != steps)
                throw new ShapeMismatchException($"{where}: element {j} has {e[0]} steps along its leading axis but {steps} were expected ({e}); give every element the same length.");
            if (e[0] >= 0) steps = e[0];
            parameterShapes[Carries + j] = new Shape(e.Dims[1..]);
        }
        for (int k = Carries + Elems; k < parameterShapes.Length; k++) parameterShapes[k] = inputShapes[k];
        var body = Step.InferShapes(parameterShapes);
        var result = new Shape[ResultCount];
        for (int i = 0; i < Carries; i++)
        {
            Shape before = inputShapes[i], after = body[i];
            if (before.IsFullyKnown && after.IsFullyKnown && before != after)
                throw new ShapeMismatchException($"{where}: carry {i} has shape {before} entering a step and {after} leaving it; a carry must keep its shape from step to step.");
            result[i] = before.IsFullyKnown ? before : after;
            result[Carries + Outputs + i] = Stacked(steps, result[i]);
        }
        for (int j = 0; j < Outputs; j++) result[Carries + j] = Stacked(steps, body[Carries + j]);
        return result;
    }

    private static Shape Stacked(int steps, Shape s) => s.IsUnknownRank ? Shape.Unknown : new Shape([steps, .. s.Dims]);

    protected override Tensor[] Run(ReadOnlySpan<Tensor> inputs, IFunctionRunner runner)
    {
        var inputShapes = new Shape[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) inputShapes[i] = inputs[i].Shape;
        var shapes = Shapes("Scan", inputShapes);
        int steps = Elems > 0 ? inputs[Carries].Shape[0] : Length;
        var results = new Tensor[ResultCount];
        for (int r = Carries; r < results.Length; r++) results[r] = new Tensor(shapes[r], ResultDTypes[r]);
        var args = new Tensor[Step.Parameters.Count];
        for (int k = Carries + Elems; k < args.Length; k++) args[k] = inputs[k];
        for (int i = 0; i < Carries; i++) args[i] = inputs[i];
        for (int j = 0; j < Elems; j++)
        {
            var e = inputs[Carries + j];
            args[Carries + j] = new Tensor(new Shape(e.Shape.Dims[1..]), e.DType);
        }
        for (int n = 0; n < steps; n++)
        {
            int t = Reverse ? steps - 1 - n : n;
            for (int j = 0; j < Elems; j++)
            {
                var x = args[Carries + j];
                Array.Copy(inputs[Carries + j].Buffer, t * x.Size, x.Buffer, 0, x.Size);
            }
            for (int i = 0; i < Carries; i++) Place(args[i], results[Carries + Outputs + i], t);
            var stepResults = runner.Run(Step, args);
            for (int i = 0; i < Carries; i++) args[i] = stepResults[i];
            for (int j = 0; j < Outputs; j++) Place(stepResults[Carries + j], results[Carries + j], t);
        }
        for (int i = 0; i < Carries; i++) results[i] = args[i];
        return results;
    }

    private Scratch? _scratch;

    /// <summary>
    /// What one run reuses on every step, kept between runs of this bound op for the same input shapes: the
    /// result shapes and their offsets in the packed output, the elements' current rows, and two sets of step
    /// results that alternate (a step writes one set while its carries are read from the other). A run that finds
    /// them taken by another thread makes its own.
    /// </summary>
    private sealed class Scratch(Shape[] inputShapes, Shape[] shapes, int[] offsets, Tensor[] args, Tensor[][] sets)
    {
        public readonly Shape[] InputShapes = inputShapes;
        public readonly Shape[] Shapes = shapes;
        public readonly int[] Offsets = offsets;
        public readonly Tensor[] Args = args;
        public readonly Tensor[][] Sets = sets;
    }

    /// <summary>
    /// The same as <see cref="Run"/>, written straight into the packed output: each step's results land in reused
    /// tensors (<see cref="IFunctionRunner.Run(FunctionBody, ReadOnlySpan{Tensor}, Tensor[])"/>) and are copied into
    /// their rows, so a run that repeats its input shapes allocates nothing.
    /// </summary>
    protected override void RunInto(ReadOnlySpan<Tensor> inputs, IFunctionRunner runner, Tensor output)
    {
        // Results of several dtypes are converted as they are packed; the rows are copied as they are only when all share one.
        if (_mixed) { base.RunInto(inputs, runner, output); return; }
        var scratch = Interlocked.Exchange(ref _scratch, null);
        if (scratch is null || !Fits(scratch, inputs))
        {
            scratch = NewScratch(inputs);
            if (scratch is null) { base.RunInto(inputs, runner, output); return; }
        }
        int steps = Elems > 0 ? inputs[Carries].Shape[0] : Length;
        var offsets = scratch.Offsets;
        var args = scratch.Args;
        for (int k = Carries + Elems; k < args.Length; k++) args[k] = inputs[k];
        for (int i = 0; i < Carries; i++) args[i] = inputs[i];
        for (int n = 0; n < steps; n++)
        {
            int t = Reverse ? steps - 1 - n : n;
            for (int j = 0; j < Elems; j++)
            {
                var x = args[Carries + j];
                Array.Copy(inputs[Carries + j].Buffer, t * x.Size, x.Buffer, 0, x.Size);
            }
            for (int i = 0; i < Carries; i++) Array.Copy(args[i].Buffer, 0, output.Buffer, offsets[Carries + Outputs + i] + t * args[i].Size, args[i].Size);
            var stepResults = scratch.Sets[n & 1];
            runner.Run(Step, args, stepResults);
            for (int i = 0; i < Carries; i++) args[i] = stepResults[i];
            for (int j = 0; j < Outputs; j++)
            {
                var y = stepResults[Carries + j];
                Array.Copy(y.Buffer, 0, output.Buffer, offsets[Carries + j] + t * y.Size, y.Size);
            }
        }
        for (int i = 0; i < Carries; i++) Array.Copy(args[i].Buffer, 0, output.Buffer, offsets[i], args[i].Size);
        // Drop the references to this run's inputs before keeping the scratch.
        for (int i = 0; i < Carries; i++) args[i] = null!;
        for (int k = Carries + Elems; k < args.Length; k++) args[k] = null!;
        _scratch = scratch;
    }

    /// <summary>A scratch for these inputs; null when some result shape is not known before running (then <see cref="Run"/> allocates).</summary>
    private Scratch? NewScratch(ReadOnlySpan<Tensor> inputs)
    {
        var inputShapes = new Shape[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) inputShapes[i] = inputs[i].Shape;
        var shapes = Shapes("Scan", inputShapes);
        foreach (var shape in shapes)
            if (!shape.IsFullyKnown) return null;
        var offsets = new int[ResultCount];
        for (int r = 1; r < offsets.Length; r++) offsets[r] = offsets[r - 1] + shapes[r - 1].Size;
        var args = new Tensor[Step.Parameters.Count];
        for (int j = 0; j < Elems; j++) args[Carries + j] = new Tensor(new Shape(inputs[Carries + j].Shape.Dims[1..]), inputs[Carries + j].DType);
        Tensor[] Set() => [.. Enumerable.Range(0, Carries + Outputs).Select(r =>
            new Tensor(r < Carries ? shapes[r] : new Shape(shapes[r].Dims[1..]), Step.Results[r].DType))];
        return new Scratch(inputShapes, shapes, offsets, args, [Set(), Set()]);
    }

    private static bool Fits(Scratch scratch, ReadOnlySpan<Tensor> inputs)
    {
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].Shape != scratch.InputShapes[i]) return false;
        return true;
    }

    /// <summary>Copies <paramref name="value"/> into row <paramref name="t"/> of <paramref name="stacked"/>.</summary>
    private static void Place(Tensor value, Tensor stacked, int t)
    {
        int size = stacked.Shape[0] == 0 ? 0 : stacked.Size / stacked.Shape[0];
        if (value.Size != size)
            throw new ShapeMismatchException($"Scan: a step gave a value of shape {value.Shape} where {new Shape(stacked.Shape.Dims[1..])} was inferred.");
        Array.Copy(value.Buffer, 0, stacked.Buffer, t * size, size);
    }

    private Node[] Group(IReadOnlyList<Node> nodes, int from, int count) => [.. Enumerable.Range(from, count).Select(i => nodes[i])];

    public override Node?[] Vjp(Node node, Node dy)
    {
        var grads = new Node?[node.Inputs.Count];
        if (!HasFloatResults) return grads;
        int nc = Carries, nx = Elems, ny = Outputs;
        var p = Step.Parameters;
        var body = Step.Graph;
        Node[] c = Group(p, 0, nc), x = Group(p, nc, nx), k = Group(p, nc + nx, Captures);
        int[] xf = [.. Enumerable.Range(0, nx).Where(j => x[j].DType.IsFloatingPoint())];
        Node[] gC = BodyBuilder.ParametersLike(body, "d_carry", c);
        Node[] dY = BodyBuilder.ParametersLike(body, "d_output", Group(Step.Results, nc, ny)), dS = BodyBuilder.ParametersLike(body, "d_stored_carry", c);
        var v = BodyBuilder.Vjp(Step.Results, [.. gC, .. dY], [.. c, .. xf.Select(j => x[j]), .. k]);
        int[] kf = BodyBuilder.Connected(v, nc + xf.Length, Captures);
        Node[] gK = BodyBuilder.ParametersLike(body, "d_capture_sum", kf.Select(j => k[j]));
        Node[] stepResults =
        [
            .. Enumerable.Range(0, nc).Select(i => v[i] is null ? dS[i] : v[i]! + dS[i]),
            .. Enumerable.Range(0, kf.Length).Select(j => gK[j] + v[nc + xf.Length + kf[j]]!),
            .. Enumerable.Range(0, xf.Length).Select(j => v[nc + j] ?? AD.ZerosLike(x[xf[j]])),
        ];
        if (stepResults.Length == 0) return grads;
        Node[] stepParameters = [.. gC, .. gK, .. c, .. x, .. dY, .. dS, .. k];
        var backward = new ScanOp(new FunctionBody(body, stepParameters, stepResults), nc + kf.Length, nc + nx + ny + nc, !Reverse, Length);
        var inputs = node.InputArray;
        var parts = Parts(node, dy);
        var stored = Enumerable.Range(0, nc).Select(i => Result(node, nc + ny + i));
        Node[] backwardInputs =
        [
            .. parts[..nc], .. kf.Select(j => AD.ZerosLike(inputs[nc + nx + j])),
            .. stored, .. inputs[nc..(nc + nx)], .. parts[nc..(nc + ny)], .. parts[(nc + ny)..], .. inputs[(nc + nx)..],
        ];
        var g = node.Graph.Apply(backward, backwardInputs, "ScanGrad");
        for (int i = 0; i < nc; i++) grads[i] = backward.Result(g, i);
        for (int j = 0; j < kf.Length; j++) grads[nc + nx + kf[j]] = backward.Result(g, nc + j);
        for (int j = 0; j < xf.Length; j++) grads[nc + xf[j]] = backward.Result(g, nc + kf.Length + j);
        return OnlyFloat(node, grads);
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        if (!HasFloatResults) return null;
        int nc = Carries, nx = Elems, ny = Outputs, nk = Captures;
        var p = Step.Parameters;
        var body = Step.Graph;
        var inputs = node.InputArray;
        Node[] c = Group(p, 0, nc), x = Group(p, nc, nx), k = Group(p, nc + nx, nk);
        int[] xt = [.. Enumerable.Range(0, nx).Where(j => tangents[nc + j] is not null && x[j].DType.IsFloatingPoint())];
        int[] kt = [.. Enumerable.Range(0, nk).Where(j => tangents[nc + nx + j] is not null && k[j].DType.IsFloatingPoint())];
        if (xt.Length == 0 && kt.Length == 0 && Enumerable.Range(0, nc).All(i => tangents[i] is null)) return null;
        Node[] tC = BodyBuilder.ParametersLike(body, "tangent_carry", c);
        Node[] tX = BodyBuilder.ParametersLike(body, "tangent_elem", xt.Select(j => x[j])), tK = BodyBuilder.ParametersLike(body, "tangent_capture", kt.Select(j => k[j]));
        var jv = BodyBuilder.Jvp(Step.Results, [.. c, .. xt.Select(j => x[j]), .. kt.Select(j => k[j])], [.. tC, .. tX, .. tK]);
        var r = Step.Results;
        Node[] stepResults = [.. Group(r, 0, nc), .. jv[..nc], .. Group(r, nc, ny), .. jv[nc..]];
        Node[] stepParameters = [.. c, .. tC, .. x, .. tX, .. k, .. tK];
        var op = new ScanOp(new FunctionBody(body, stepParameters, stepResults), 2 * nc, nx + xt.Length, Reverse, Length);
        Node[] opInputs =
        [
            .. inputs[..nc], .. Enumerable.Range(0, nc).Select(i => tangents[i] ?? AD.ZerosLike(inputs[i])),
            .. inputs[nc..(nc + nx)], .. xt.Select(j => tangents[nc + j]!),
            .. inputs[(nc + nx)..], .. kt.Select(j => tangents[nc + nx + j]!),
        ];
        var t = node.Graph.Apply(op, opInputs, "ScanJvp");
        int storedTangents = 2 * nc + 2 * ny + nc;
        return Pack.Of(
        [
            .. Enumerable.Range(nc, nc).Select(i => op.Result(t, i)),
            .. Enumerable.Range(2 * nc + ny, ny).Select(i => op.Result(t, i)),
            .. Enumerable.Range(storedTangents, nc).Select(i => op.Result(t, i)),
        ], PackedDType);
    }
}

/// <summary>What a scan step returns: the next carries and this step's outputs.</summary>
/// <param name="Carry">The carries passed to the next step (same count, shapes and dtype as the initial ones).</param>
/// <param name="Outputs">This step's outputs, stacked along a new leading axis by the scan.</param>
public readonly record struct ScanStep(Node[] Carry, Node[] Outputs);

public sealed partial class Graph
{
    /// <summary>
    /// Runs <paramref name="step"/> along the leading axis of <paramref name="elems"/> (as lax.scan / tf.scan): with
    /// carry₀ = <paramref name="initial"/>, (carryₜ₊₁, yₜ) = step(carryₜ, xₜ) for t = 0 … T−1 (T−1 … 0 when
    /// <paramref name="reverse"/>). Returns the final carries and the outputs stacked [T, ...] (yₜ at row t, also in
    /// reverse). The step builds nodes with ordinary ops and may use outer nodes and variables. Carries keep their
    /// shape and dtype; carries and outputs may differ in dtype (an int32 counter beside a float state). Without elements give <paramref name="length"/>.
    /// Derivative: reverse mode runs a Scan the other way over the carries stored by the forward pass, each step the
    /// step's VJP; forward mode runs the step and its JVP together; both differentiate again.
    /// </summary>
    public (Node[] Carry, Node[] Outputs) Scan(Func<Node[], Node[], ScanStep> step, Node[] initial, Node[] elems, bool reverse = false, int? length = null, string name = "Scan")
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(initial);
        ArgumentNullException.ThrowIfNull(elems);
        if (elems.Length == 0 && length is null)
            throw new InvalidGraphArgumentException($"Scan '{name}': with no elements give the number of steps as length.");
        if (length is < 0)
            throw new InvalidGraphArgumentException($"Scan '{name}': length {length} must be 0 or more.");
        var g = Innermost;
        return g.BuildScan(step, initial, elems, reverse, length ?? -1, name);
    }

    private (Node[] Carry, Node[] Outputs) BuildScan(Func<Node[], Node[], ScanStep> step, Node[] initial, Node[] elems, bool reverse, int length, string name)
    {
        initial = [.. initial.Select(n => Capture(n, name))];
        elems = [.. elems.Select(n => Capture(n, name))];
        foreach (var e in elems)
            if (!e.Shape.IsUnknownRank && e.Shape.Rank == 0)
                throw new ShapeMismatchException($"Scan '{name}': element '{e.Name}' is a scalar; elements are scanned along their leading axis, so give them rank 1 or more.");
        var body = CreateBody();
        Node[] results, parameters;
        int outputs;
        using (Building(body))
        using (body.NameScope(name))
        {
            var c = BodyBuilder.ParametersLike(body, "carry", initial);
            var x = BodyBuilder.Parameters(body, "elem", elems.Select(e => (e.Shape.IsUnknownRank ? Shape.Unknown : new Shape(e.Shape.Dims[1..]), e.DType)));
            var r = step(c, x);
            if (r.Carry is null || r.Carry.Length != initial.Length)
                throw new InvalidGraphArgumentException($"Scan '{name}': the step returns {r.Carry?.Length ?? 0} carries for {initial.Length} initial ones; return one per carry.");
            outputs = r.Outputs?.Length ?? 0;
            results = BodyBuilder.Results(body, [.. r.Carry, .. r.Outputs ?? []], name, "the step");
            for (int i = 0; i < initial.Length; i++)
                if (results[i].DType != initial[i].DType)
                    throw new DTypeMismatchException($"Scan '{name}': carry {i} starts as {initial[i].DType.Name()} ('{initial[i].Name}') but the step returns {results[i].DType.Name()} ('{results[i].Name}'); keep each carry's dtype.");
            if (results.Length == 0)
                throw new InvalidGraphArgumentException($"Scan '{name}': the step returns no carry and no output; return at least one.");
            parameters = [.. c, .. x, .. body.Captures.Select(cap => cap.Inner)];
        }
        var op = new ScanOp(new FunctionBody(body, parameters, results), initial.Length, elems.Length, reverse, length);
        var node = Apply(op, [.. initial, .. elems, .. body.Captures.Select(cap => cap.Outer)], name);
        return ([.. Enumerable.Range(0, initial.Length).Select(i => op.Result(node, i))],
            [.. Enumerable.Range(0, outputs).Select(j => op.Result(node, initial.Length + j))]);
    }
}
