namespace Nabla.Visualization;

/// <summary>
/// The nodes a picture shows and, when a session is given, their forward values, the output's gradient with
/// respect to each, and each edge's local partial derivative ∂consumer/∂input, all from one session run.
/// </summary>
internal sealed class Annotations
{
    /// <summary>Name scope of the nodes this class adds to build local partials; never drawn.</summary>
    public const string PartialsScope = "partials";
    public const string GradientsScope = "gradients";

    private readonly HashSet<string> _ambiguous;

    public Annotations(Graph graph, RenderOptions options)
    {
        Graph = graph;
        Options = options;
        Nodes = SelectNodes(graph, options);
        var drawn = Nodes.ToHashSet();
        foreach (var n in Nodes) Consumers[n] = [];
        _ambiguous = Nodes.GroupBy(ShortName).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        foreach (var n in Nodes)
            foreach (var input in n.Inputs)
                if (drawn.Contains(input)) Consumers[input].Add(n);
        if (options.Session is not null) Evaluate(options.Session, options.Feeds);
    }

    public Graph Graph { get; }
    public RenderOptions Options { get; }
    public Node? Output => Options.Output;

    /// <summary>Drawn nodes in creation (topological) order.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>For each drawn node, the drawn nodes that read it, once per input slot.</summary>
    public Dictionary<Node, List<Node>> Consumers { get; } = [];

    public Dictionary<Node, Tensor> Values { get; } = [];
    public Dictionary<Node, Tensor> Gradients { get; } = [];

    /// <summary>How many iterations each drawn WhileLoop ran, when a session was given.</summary>
    public Dictionary<Node, int> IterationCounts { get; } = [];

    /// <summary>∂consumer/∂(its input number i), keyed by (consumer, i).</summary>
    public Dictionary<(Node Consumer, int Input), Tensor> Partials { get; } = [];

    private static Node[] SelectNodes(Graph graph, RenderOptions options)
    {
        var roots = new List<Node>(options.Fetches ?? []);
        if (options.Output is not null) roots.Add(options.Output);
        IEnumerable<Node> nodes = roots.Count == 0 ? graph.Nodes : Ancestors(roots);
        var shown = nodes.Where(n => !IsHidden(n, options)).ToHashSet();
        // Constants that no drawn node reads (e.g. shared scalars made by derivative rules) are noise.
        var read = shown.SelectMany(n => n.Inputs).ToHashSet();
        return shown.Where(n => n.Op.SourceKind != SourceKind.Constant || read.Contains(n) || roots.Contains(n)).OrderBy(n => n.Id).ToArray();
    }

    private static bool IsHidden(Node n, RenderOptions options) =>
        n.Name.StartsWith(PartialsScope + "/", StringComparison.Ordinal)
        || (!options.ShowGradientNodes && n.Name.StartsWith(GradientsScope + "/", StringComparison.Ordinal));

    private static HashSet<Node> Ancestors(IEnumerable<Node> roots)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(roots);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            foreach (var input in n.Inputs) stack.Push(input);
        }
        return seen;
    }

    /// <summary>Side-effecting ops are drawn but never run for a picture.</summary>
    private static bool CanRun(Node n) => !n.Op.IsStateful;

    private void Evaluate(Session session, Feeds? feeds)
    {
        var fetches = new List<Node>();
        var targets = new List<Action<Tensor>>();
        void Fetch(Node node, Action<Tensor> store) { fetches.Add(node); targets.Add(store); }

        var runnable = Nodes.Where(CanRun).ToArray();
        foreach (var n in runnable) Fetch(n, t => Values[n] = t);

        if (Output is not null)
        {
            var xs = runnable.Where(n => n.Op.SourceKind != SourceKind.Constant && n.DType.IsFloatingPoint()).ToArray();
            Node seed;
            using (Graph.NameScope(GradientsScope)) seed = Output.Shape.IsFullyKnown ? Graph.Constant(Tensor.Ones(Output.Shape, Output.DType), "ones") : Output.OnesLike();
            var grads = Graph.Gradients(Output, xs, new GradientOptions { GradY = seed });
            for (int i = 0; i < xs.Length; i++)
                if (grads[i] is { } g) { var x = xs[i]; Fetch(g, t => Gradients[x] = t); }
        }

        foreach (var n in runnable.Where(n => n.ControlFlow?.Construct == "WhileLoop"))
        {
            Node count;
            using (Graph.NameScope(PartialsScope)) count = Graph.IterationCount(n);
            Fetch(count, t => IterationCounts[n] = (int)t.GetFlat(0));
        }

        var drawn = runnable.ToHashSet();
        foreach (var n in runnable)
        {
            if (n.Inputs.Count == 0) continue;
            Node?[]? partials;
            using (Graph.NameScope(PartialsScope)) partials = n.Op.LocalPartials(n);
            if (partials is null) continue;
            for (int i = 0; i < partials.Length; i++)
                if (partials[i] is { } p && drawn.Contains(n.Inputs[i])) { var key = (n, i); Fetch(p, t => Partials[key] = t); }
        }

        var results = session.Run(fetches, feeds);
        for (int i = 0; i < results.Length; i++) targets[i](results[i]);
    }

    /// <summary>The last segment of a node's name: "layer1/MatMul" → "MatMul".</summary>
    public static string ShortName(Node n) => n.Name[(n.Name.LastIndexOf('/') + 1)..];

    /// <summary>How text refers to a node: its short name, or its full name when another drawn node has the same short name.</summary>
    public string Label(Node n) => _ambiguous.Contains(ShortName(n)) ? n.Name : ShortName(n);

    /// <summary>The value text of a node (its shape is shown beside its op), or null when not evaluated.</summary>
    public string? ValueText(Node n) => Values.TryGetValue(n, out var t) ? ValueFormat.Tensor(t, Options.MaxValues, withShape: false) : null;

    public string? GradientText(Node n) => Gradients.TryGetValue(n, out var t) ? ValueFormat.Tensor(t, Options.MaxValues, withShape: false) : null;
}
