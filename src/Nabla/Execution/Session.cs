using System.Diagnostics;
using Nabla.Execution;

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
    private volatile Plan? _lastPlan;
    private bool _disposed;

    /// <summary>A session that runs nodes of <paramref name="graph"/> and holds the values of its variables.</summary>
    public Session(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
    }

    /// <summary>The graph whose nodes this session runs.</summary>
    public Graph Graph { get; }

    /// <summary>When set, every step of every run is timed into it (diagnostics for the benchmarks).</summary>
    internal static StepProfile? Profile { get; set; }

    /// <summary>Whether plans fuse elementwise runs (off only to check fused results against unfused ones).</summary>
    internal bool FuseElementwise { get; init; } = true;

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
            var values = ctx.Values;
            plan.BindFeeds(values, feeds);
            plan.CreateResults(values);
            var steps = plan.Steps;
            for (int i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                var profile = Profile;
                long start = profile is null ? 0 : Stopwatch.GetTimestamp();
                if (step.Group >= 0) ctx.Groups[step.Group].Run();
                else
                {
                    // Inputs read only by a Group node may live in fused scratch rows (null here); Group ignores them.
                    var inputs = ctx.StepInputs[i];
                    for (int j = 0; j < inputs.Length; j++) inputs[j] = values[step.Inputs[j]]!;
                    step.Op.Forward(inputs, values[step.Output]!);
                }
                profile?.Add(step.Group >= 0 ? StepProfile.Key(plan.Groups[step.Group]) : StepProfile.Key(step.Op, ctx.StepInputs[i]), start);
            }
            var results = new Tensor[fetches.Count];
            for (int i = 0; i < results.Length; i++)
                results[i] = plan.FetchOwned[i] ? values[plan.FetchSlots[i]]! : values[plan.FetchSlots[i]]!.Clone();
            return results;
        }
        finally
        {
            plan.Return(ctx);
        }
    }

    /// <summary>
    /// How many ops a run of these fetches with these feeds executes: the steps of the plan that
    /// <see cref="Run(IReadOnlyList{Node}, Feeds?)"/> uses for this signature, each member of a fused group counted
    /// (compiled and cached if new; nothing runs).
    /// </summary>
    public int PlanStepCount(IReadOnlyList<Node> fetches, Feeds? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(fetches);
        return GetPlan(fetches, feeds).OpCount;
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
        if (variable.Op.SourceKind != SourceKind.Variable)
            throw new InvalidGraphArgumentException($"'{variable.Name}' is a {variable.OpType}, not a Variable.");
        lock (_lock)
        {
            if (!_variables.TryGetValue(variable, out var t))
                _variables[variable] = t = variable.Op.FixedValue!.Clone();
            return t;
        }
    }

    private Plan GetPlan(IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        // A loop that runs the same signature again finds its plan without hashing or locking.
        if (_lastPlan is { } last && last.Matches(fetches, feeds)) return last;
        int key = SignatureHash(fetches, feeds);
        lock (_lock)
        {
            if (_plans.TryGetValue(key, out var candidates))
                foreach (var p in candidates)
                    if (p.Matches(fetches, feeds)) return _lastPlan = p;
        }
        var plan = PlanBuilder.Build(this, fetches, feeds);
        lock (_lock)
        {
            if (!_plans.TryGetValue(key, out var list)) _plans[key] = list = [];
            list.Add(plan);
        }
        return _lastPlan = plan;
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

    /// <summary>Releases the cached plans and the variables' values; the session cannot run afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        lock (_lock) { _plans.Clear(); _variables.Clear(); _lastPlan = null; }
    }
}
