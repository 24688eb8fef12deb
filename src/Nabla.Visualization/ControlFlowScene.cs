namespace Nabla.Visualization;

/// <summary>One function of a control-flow node as a picture draws it: its nodes and the values carried back to its parameters.</summary>
/// <param name="Title">What the function is, e.g. "true branch (taken)" or "step".</param>
/// <param name="Nodes">The body nodes its results need, parameters included, in creation order.</param>
/// <param name="Carries">Results passed back as parameters of the next step: (result, parameter, role).</param>
/// <param name="Results">Each result with what it is ("next carry 0", "result 0").</param>
internal sealed record BodySection(string Title, IReadOnlyList<Node> Nodes, IReadOnlyList<(Node From, Node To, string Role)> Carries, IReadOnlyList<(Node Node, string Role)> Results);

/// <summary>
/// A control-flow node (Cond, Scan, WhileLoop) as a cluster: a title saying what it does (the taken branch, the
/// number of steps and their direction, the iterations run when known), and one section per function it runs.
/// </summary>
internal sealed class ControlFlowScene
{
    private ControlFlowScene(Node node, ControlFlowInfo info, string summary, BodySection[] sections)
    {
        Node = node;
        Info = info;
        Summary = summary;
        Sections = sections;
    }

    public Node Node { get; }
    public ControlFlowInfo Info { get; }

    /// <summary>One line under the node's name: "Scan: 5 steps, t = 0 … 4", "Cond: took the true branch", "WhileLoop: ran 4 iterations (at most 100)".</summary>
    public string Summary { get; }

    public IReadOnlyList<BodySection> Sections { get; }

    /// <summary>The scene of <paramref name="n"/>, or null when it is not a control-flow node.</summary>
    public static ControlFlowScene? Of(Annotations a, Node n)
    {
        if (n.ControlFlow is not { } info) return null;
        bool? taken = info.Construct == "Cond" && a.Values.TryGetValue(n.Inputs[0], out var p) ? p.GetFlat(0) != 0 : null;
        int? iterations = a.IterationCounts.TryGetValue(n, out int count) ? count : null;
        var sections = info.Functions.Select((f, k) =>
        {
            bool condition = info.Construct == "WhileLoop" && k == 0;
            string title = f.Role;
            if (taken is { } t) title += (k == 0) == t ? " (taken)" : " (not taken)";
            if (info.Construct == "WhileLoop") title += k == 0 ? ": keep going while true" : ": the next values of the variables";
            if (info.Construct == "Scan") title += ": (carry, row t of the elements) → (next carry, output row t)";
            return Section(f.Body, title, info, carries: info.Construct != "Cond" && !condition, condition ? ["condition"] : info.ResultRoles);
        }).ToArray();
        return new ControlFlowScene(n, info, Describe(info, taken, Steps(a, n, info), iterations), sections);
    }

    /// <summary>The summary line for a node with this info and, when known, the taken branch, the steps or the iterations run.</summary>
    public static string Describe(ControlFlowInfo info, bool? taken, int? steps, int? iterations) => info.Construct switch
    {
        "Cond" => taken is { } t ? $"Cond: took the {(t ? "true" : "false")} branch" : "Cond: runs one of two branches",
        "Scan" => steps is { } s
            ? $"Scan: {s} step{(s == 1 ? "" : "s")}, {(info.Reverse ? $"reverse, t = {s - 1} … 0" : $"t = 0 … {s - 1}")}"
            : $"Scan: one step per row of the elements{(info.Reverse ? ", reverse" : "")}",
        "WhileLoop" => iterations is { } i
            ? $"WhileLoop: ran {i} iteration{(i == 1 ? "" : "s")}{(info.MaximumIterations is { } m ? $" (at most {m})" : "")}"
            : info.MaximumIterations is { } max ? $"WhileLoop: at most {max} iterations" : "WhileLoop: until the condition fails",
        _ => info.Construct,
    };

    /// <summary>The number of steps of a Scan: from the shapes, else from the elements' values when they were run.</summary>
    public static int? Steps(Annotations a, Node n, ControlFlowInfo info)
    {
        if (info.Construct != "Scan") return null;
        if (info.Steps is { } s) return s;
        int carries = info.ParameterRoles.Count(r => r.StartsWith("carry ", StringComparison.Ordinal));
        return carries < n.Inputs.Count && a.Values.TryGetValue(n.Inputs[carries], out var e) && e.Shape.Rank > 0 ? e.Shape[0] : null;
    }

    /// <summary>What input <paramref name="i"/> of the node is: "predicate", "initial carry 0", "elements 0", "captured w".</summary>
    public string InputRole(int i)
    {
        if (i < Info.FirstArgument) return "predicate";
        string role = Info.ParameterRoles[i - Info.FirstArgument];
        return role.StartsWith("carry ", StringComparison.Ordinal) || role.StartsWith("variable ", StringComparison.Ordinal) ? "initial " + role
            : role.StartsWith("element ", StringComparison.Ordinal) ? "elements" + role["element".Length..]
            : "captured";
    }

    private static BodySection Section(FunctionBody body, string title, ControlFlowInfo info, bool carries, IReadOnlyList<string> roles)
    {
        var carried = carries ? info.Carried : [];
        var parameters = body.Parameters.ToHashSet();
        var needed = new HashSet<Node>();
        var stack = new Stack<Node>(body.Results);
        foreach (var (_, p) in carried) stack.Push(body.Parameters[p]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Graph != body.Graph || !needed.Add(n) || parameters.Contains(n)) continue;
            foreach (var input in n.Inputs) stack.Push(input);
        }
        var back = carried.Where(c => body.Results[c.Result] != body.Parameters[c.Parameter])
            .Select(c => (body.Results[c.Result], body.Parameters[c.Parameter], roles[c.Result])).ToList();
        var results = body.Results.Select((r, i) => (r, roles[i])).ToList();
        return new BodySection(title, [.. needed.OrderBy(n => n.Id)], back, results);
    }
}
