namespace Nabla;

/// <summary>
/// Runs a graph. Holds the variables' values and a cache of compiled plans, one per signature
/// (fetches, fed nodes and fed shapes). <see cref="Run(IReadOnlyList{Node}, Feeds?)"/> may be called
/// from several threads at once.
/// </summary>
public sealed class Session : IDisposable
{
    private readonly Dictionary<Node, Tensor> _variables = new();
    private readonly Dictionary<int, List<Plan>> _plans = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    public Session(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
    }

    public Graph Graph { get; }

    /// <summary>How many plans have been compiled (one per distinct signature).</summary>
    public int CachedPlanCount { get { lock (_lock) return _plans.Values.Sum(l => l.Count); } }

    /// <summary>Runs what <paramref name="fetch"/> needs and returns its value.</summary>
    public Tensor Run(Node fetch, Feeds? feeds = null) => Run([fetch], feeds)[0];

    /// <summary>
    /// Runs what the fetches need, once, and returns their values in the order asked. Accepts the result
    /// of Gradients directly; a null fetch (an x that y does not depend on) is an error.
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Node?> fetches, Feeds? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(fetches);
        for (int i = 0; i < fetches.Count; i++)
            if (fetches[i] is null)
                throw new InvalidGraphArgumentException($"Run: fetch {i} is null. Gradients gives null for an x that y does not depend on; pass GradientOptions {{ ZerosForUnconnected = true }} to get zeros.");
        var plan = GetPlan(fetches!, feeds);
        var ctx = plan.Rent();
        try
        {
            if (feeds is not null)
                foreach (var (node, value) in feeds)
                    if (plan.FeedSlots.TryGetValue(node, out int slot)) ctx.Values[slot] = value;
            var values = ctx.Values;
            var steps = plan.Steps;
            for (int i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                var inputs = ctx.StepInputs[i];
                for (int j = 0; j < inputs.Length; j++) inputs[j] = values[step.Inputs[j]]!;
                step.Op.Forward(inputs, values[step.Output]!);
            }
            var results = new Tensor[fetches.Count];
            for (int i = 0; i < results.Length; i++) results[i] = values[plan.FetchSlots[i]]!.Clone();
            return results;
        }
        finally
        {
            plan.Return(ctx);
        }
    }

    /// <summary>
    /// How many ops a run of these fetches with these feeds executes: the steps of the plan that
    /// <see cref="Run(IReadOnlyList{Node}, Feeds?)"/> uses for this signature (compiled and cached if new; nothing runs).
    /// </summary>
    public int PlanStepCount(IReadOnlyList<Node> fetches, Feeds? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(fetches);
        return GetPlan(fetches, feeds).Steps.Length;
    }

    /// <summary>A copy of the current value of a variable in this session.</summary>
    public Tensor GetVariable(Node variable) { lock (_lock) return VariableTensor(variable).Clone(); }

    /// <summary>Overwrites a variable's value in this session (same shape and dtype).</summary>
    public void SetVariable(Node variable, Tensor value)
    {
        lock (_lock)
        {
            var target = VariableTensor(variable);
            if (value.Shape != target.Shape || value.DType != target.DType)
                throw new FeedException($"Variable '{variable.Name}' is {target.Shape} {target.DType.Name()}; the new value is {value.Shape} {value.DType.Name()}.");
            value.CopyTo(target);
        }
    }

    /// <summary>The session's own tensor for a variable, created from its initial value on first use.</summary>
    internal Tensor VariableTensor(Node variable)
    {
        if (variable.Op is not VariableOp op)
            throw new InvalidGraphArgumentException($"'{variable.Name}' is a {variable.OpType}, not a Variable.");
        lock (_lock)
        {
            if (!_variables.TryGetValue(variable, out var t))
                _variables[variable] = t = op.InitialValue.Clone();
            return t;
        }
    }

    private Plan GetPlan(IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        int key = SignatureHash(fetches, feeds);
        lock (_lock)
        {
            if (_plans.TryGetValue(key, out var candidates))
                foreach (var p in candidates)
                    if (Matches(p, fetches, feeds)) return p;
        }
        var plan = PlanBuilder.Build(this, fetches, feeds);
        lock (_lock)
        {
            if (!_plans.TryGetValue(key, out var list)) _plans[key] = list = [];
            list.Add(plan);
        }
        return plan;
    }

    private static int SignatureHash(IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        int h = fetches.Count;
        for (int i = 0; i < fetches.Count; i++) h = h * 31 + fetches[i].Id;
        if (feeds is not null)
            foreach (var (node, value) in feeds)
            {
                int f = node.Id * 17 + (int)value.DType;
                foreach (int d in value.Shape.Span) f = f * 31 + d;
                h += f * 0x2545F491; // order-independent over feeds
            }
        return h;
    }

    private static bool Matches(Plan plan, IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        if (plan.Fetches.Length != fetches.Count) return false;
        for (int i = 0; i < fetches.Count; i++)
            if (plan.Fetches[i] != fetches[i]) return false;
        // Feeds of nodes outside the pruned subgraph do not change the plan, but they are part of the key.
        int feedCount = feeds?.Count ?? 0;
        if (feedCount != plan.FeedKeyCount) return false;
        if (feeds is null) return true;
        foreach (var (node, value) in feeds)
        {
            if (!plan.FeedKeys.TryGetValue(node, out var key) || key.DType != value.DType || key.Shape != value.Shape) return false;
        }
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        lock (_lock) { _plans.Clear(); _variables.Clear(); }
    }
}
