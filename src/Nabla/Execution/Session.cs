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
    private readonly bool _checkNumerics;
    private readonly int _planCapacity;
    private volatile Plan? _lastPlan;
    private int _planCount;
    private long _planClock;
    private bool _disposed;

    /// <summary>
    /// A session that runs nodes of <paramref name="graph"/> and holds the values of its variables;
    /// <paramref name="options"/> default to <see cref="SessionOptions"/>' defaults.
    /// </summary>
    public Session(Graph graph, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        Options = options ?? new SessionOptions();
        if (Options.PlanCacheCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(options), Options.PlanCacheCapacity, "SessionOptions.PlanCacheCapacity must be at least 1.");
        _checkNumerics = Options.CheckNumerics;
        _planCapacity = Options.PlanCacheCapacity;
    }

    /// <summary>The graph whose nodes this session runs.</summary>
    public Graph Graph { get; }

    /// <summary>The options the session was created with.</summary>
    public SessionOptions Options { get; }

    /// <summary>When set, every step of every run is timed into it (diagnostics for the benchmarks).</summary>
    internal static StepProfile? Profile { get; set; }

    /// <summary>Whether plans fuse elementwise runs (off to check fused results against unfused ones, and while checking numerics).</summary>
    internal bool FuseElementwise { get => _fuse && !_checkNumerics; init => _fuse = value; }
    private readonly bool _fuse = true;

    private volatile BodyRunner? _runner;

    /// <summary>Runs the bodies of this session's control-flow ops (created on first use).</summary>
    internal IFunctionRunner Runner
    {
        get
        {
            if (_runner is { } runner) return runner;
            lock (_lock) return _runner ??= new BodyRunner(FuseElementwise);
        }
    }

    /// <summary>How many compiled plans the session holds (one per distinct signature, at most <see cref="SessionOptions.PlanCacheCapacity"/>).</summary>
    public int CachedPlanCount { get { lock (_lock) return _planCount; } }

    /// <summary>Runs what <paramref name="fetch"/> needs and returns its value.</summary>
    public Tensor Run(Node fetch, Feeds? feeds = null) => Run([fetch], feeds)[0];

    /// <summary>
    /// Runs what the fetches need, once, and returns their values in the order asked. Accepts the result
    /// of Gradients directly; a null fetch (an x that y does not depend on) is an error. Fed tensors are
    /// never written. A run that throws leaves every variable as it was before the run.
    /// </summary>
    public Tensor[] Run(IReadOnlyList<Node?> fetches, Feeds? feeds = null) => RunCore(fetches, feeds, null)!;

    /// <summary>
    /// Runs what the fetches need, once, and writes their values into <paramref name="results"/>: one tensor per
    /// fetch, of the shape and dtype the run gives it, made once (<see cref="CreateResults"/>) and passed to every run.
    /// The steps that compute the fetches write straight into them, so a run that repeats a signature allocates nothing.
    /// </summary>
    /// <exception cref="ShapeMismatchException">A result's shape is not its fetch's shape in this run.</exception>
    /// <exception cref="DTypeMismatchException">A result's dtype is not its fetch's dtype.</exception>
    /// <exception cref="InvalidGraphArgumentException">The count differs from the fetches', a result is null, or it shares storage with a feed, a variable, a constant or another result.</exception>
    public void Run(IReadOnlyList<Node?> fetches, Feeds? feeds, IReadOnlyList<Tensor> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        RunCore(fetches, feeds, results);
    }

    /// <summary>Runs what <paramref name="fetch"/> needs and writes its value into <paramref name="result"/>, without allocating (see <see cref="Run(IReadOnlyList{Node}, Feeds?, IReadOnlyList{Tensor})"/>).</summary>
    public void Run(Node fetch, Feeds? feeds, Tensor result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // One-element lists kept per thread (and taken while in use), so a single fetch allocates no arrays either.
        var fetches = t_oneFetch ?? new Node?[1];
        var results = t_oneResult ?? new Tensor[1];
        (t_oneFetch, t_oneResult) = (null, null);
        (fetches[0], results[0]) = (fetch, result);
        try { RunCore(fetches, feeds, results); }
        finally
        {
            (fetches[0], results[0]) = (null, null!);
            (t_oneFetch, t_oneResult) = (fetches, results);
        }
    }

    /// <summary>
    /// Fresh tensors to pass to <see cref="Run(IReadOnlyList{Node}, Feeds?, IReadOnlyList{Tensor})"/>, one per fetch,
    /// of the shape and dtype a run with these feeds gives it (compiles and caches the plan; nothing runs).
    /// </summary>
    public Tensor[] CreateResults(IReadOnlyList<Node?> fetches, Feeds? feeds = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(fetches);
        CheckFetches(fetches);
        return RunResults.Allocate(GetPlan(fetches!, feeds));
    }

    [ThreadStatic] private static Node?[]? t_oneFetch;
    [ThreadStatic] private static Tensor[]? t_oneResult;

    private static void CheckFetches(IReadOnlyList<Node?> fetches)
    {
        for (int i = 0; i < fetches.Count; i++)
            if (fetches[i] is null)
                throw new InvalidGraphArgumentException($"Run: fetch {i} is null. Gradients gives null for an x that y does not depend on; pass GradientOptions {{ ZerosForUnconnected = true }} to get zeros.");
    }

    /// <summary>The body of every Run: results into <paramref name="provided"/> when given (returns null), else into fresh tensors it returns.</summary>
    private Tensor[]? RunCore(IReadOnlyList<Node?> fetches, Feeds? feeds, IReadOnlyList<Tensor>? provided)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(fetches);
        CheckFetches(fetches);
        var plan = GetPlan(fetches!, feeds);
        var ctx = plan.Rent();
        var saved = plan.SnapshotState ? plan.SaveState(ctx) : null;
        int at = 0;
        try
        {
            var values = ctx.Values;
            plan.BindFeeds(values, feeds);
            RunResults.Bind(plan, values, provided, feeds);
            var steps = plan.Steps;
            var kernels = plan.Kernels;
            bool check = _checkNumerics;
            for (; at < steps.Length; at++)
            {
                var step = steps[at];
                var profile = Profile;
                long start = profile is null ? 0 : Stopwatch.GetTimestamp();
                if (step.Group >= 0) ctx.Groups[step.Group].Run();
                else
                {
                    // Inputs read only by a Group node may live in fused scratch rows (null here); Group ignores them.
                    var inputs = ctx.StepInputs[at];
                    for (int j = 0; j < inputs.Length; j++) inputs[j] = values[step.Inputs[j]]!;
                    kernels[at]!(inputs, values[step.Output]!);
                    if (check) NumericsCheck.Check(step.Node, inputs, values[step.Output]!);
                }
                profile?.Add(step.Group >= 0 ? StepProfile.Key(plan.Groups[step.Group]) : StepProfile.Key(step.Op, ctx.StepInputs[at]), start);
            }
            return RunResults.Collect(plan, values, provided);
        }
        catch (Exception e)
        {
            if (saved is not null) plan.RestoreState(ctx.Values, saved);
            if (at < plan.Steps.Length && Named(e, plan.Steps[at], ctx, at) is { } named) throw named;
            throw;
        }
        finally
        {
            plan.Return(ctx);
        }
    }

    /// <summary>A value error raised inside a step, restated with the node that raised it; null to rethrow as it is.</summary>
    private static Exception? Named(Exception e, Plan.Step step, Plan.RunContext ctx, int at) => e switch
    {
        NonFiniteFound found => NumericsCheck.Failure(step.Node, ctx.StepInputs[at], ctx.Values[step.Output]!, found.FlatIndex, found.Message),
        InvalidValueException when !e.Message.Contains($"'{step.Node.Name}'", StringComparison.Ordinal) =>
            new InvalidValueException($"{step.Node.OpType} '{step.Node.Name}': {StripOpPrefix(e.Message, step.Node.OpType)}", e),
        _ => null,
    };

    private static string StripOpPrefix(string message, string opType) =>
        message.StartsWith(opType + ": ", StringComparison.Ordinal) ? message[(opType.Length + 2)..] : message;

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
    public Tensor GetVariable(Node variable)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(variable);
        lock (_lock) return VariableTensor(variable).Clone();
    }

    /// <summary>Overwrites a variable's value in this session (same shape and dtype).</summary>
    public void SetVariable(Node variable, Tensor value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(value);
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

    /// <summary>The plan of the last signature run (tests read what it saves before a run).</summary>
    internal Plan? LastPlan => _lastPlan;

    private Plan GetPlan(IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        // A loop that runs the same signature again finds its plan without hashing or locking.
        if (_lastPlan is { } last && last.Matches(fetches, feeds)) return last;
        int key = SignatureHash(fetches, feeds);
        lock (_lock)
        {
            // The plan the fast path kept running was in use until now.
            if (_lastPlan is { } previous) previous.LastUsed = ++_planClock;
            if (_plans.TryGetValue(key, out var candidates))
                foreach (var p in candidates)
                    if (p.Matches(fetches, feeds))
                    {
                        p.LastUsed = ++_planClock;
                        return _lastPlan = p;
                    }
        }
        var plan = PlanBuilder.Build(this, fetches, feeds);
        lock (_lock)
        {
            if (!_plans.TryGetValue(key, out var list)) _plans[key] = list = [];
            list.Add(plan);
            plan.LastUsed = ++_planClock;
            if (++_planCount > _planCapacity) EvictLeastRecentlyUsed(plan);
        }
        return _lastPlan = plan;
    }

    /// <summary>Whether a plan for this signature is cached (without compiling one).</summary>
    internal bool IsCached(IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        lock (_lock) return _plans.TryGetValue(SignatureHash(fetches, feeds), out var list) && list.Any(p => p.Matches(fetches, feeds));
    }

    /// <summary>Drops the plan used longest ago (never <paramref name="keep"/>, the one just compiled). Runs only when a plan is compiled.</summary>
    private void EvictLeastRecentlyUsed(Plan keep)
    {
        int oldestKey = 0;
        Plan? oldest = null;
        foreach (var (key, list) in _plans)
            foreach (var p in list)
                if (p != keep && (oldest is null || p.LastUsed < oldest.LastUsed)) { oldest = p; oldestKey = key; }
        if (oldest is null) return;
        var bucket = _plans[oldestKey];
        bucket.Remove(oldest);
        if (bucket.Count == 0) _plans.Remove(oldestKey);
        _planCount--;
    }

    private static int SignatureHash(IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        int h = fetches.Count;
        for (int i = 0; i < fetches.Count; i++) h = h * 31 + fetches[i].Id;
        if (feeds is not null)
            foreach (var (node, value) in feeds)
            {
                if (value is null)
                    throw new FeedException($"Run: the value fed for '{node.Name}' is null; feed a Tensor of shape {node.Shape} and dtype {node.DType.Name()}.");
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
        lock (_lock) { _plans.Clear(); _planCount = 0; _variables.Clear(); _lastPlan = null; _runner?.Dispose(); }
    }
}
