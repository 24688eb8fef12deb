namespace Nabla;

/// <summary>Options of <see cref="Graph.Gradients(Node, Node[], GradientOptions)"/>.</summary>
public sealed record GradientOptions
{
    /// <summary>The seed: the gradient of some scalar with respect to y (default: ones, i.e. d(sum y)).</summary>
    public Node? GradY { get; init; }

    /// <summary>Give zeros instead of null for an x that y does not depend on.</summary>
    public bool ZerosForUnconnected { get; init; }

    /// <summary>Nodes treated as constants: no gradient flows through them (partial instead of total derivatives).</summary>
    public IReadOnlyCollection<Node>? StopGradients { get; init; }
}

public sealed partial class Graph
{
    /// <summary>Gradients of y (the sum of its elements when not scalar) with respect to each x; null where y does not depend on x.</summary>
    public Node?[] Gradients(Node y, params Node[] xs) => Gradients(y, xs, new GradientOptions());

    /// <summary>Gradients of y with respect to each x, seeded with <paramref name="gradY"/> (same shape as y).</summary>
    public Node?[] Gradients(Node y, Node[] xs, Node? gradY) => Gradients(y, xs, new GradientOptions { GradY = gradY });

    /// <summary>
    /// Reverse mode: adds gradient nodes to this graph, one backward sweep from y to every x, summing over
    /// all paths. Gradients are nodes, so they can be run, drawn or differentiated again.
    /// </summary>
    public Node?[] Gradients(Node y, Node[] xs, GradientOptions options)
    {
        CheckOwned(y, "y");
        foreach (var x in xs) CheckDifferentiable(x, "Gradients");
        var stops = options.StopGradients is null ? null : new HashSet<Node>(options.StopGradients);
        var onPath = NodesBetween(y, xs);
        var pending = new Dictionary<Node, Node>();
        Node seed;
        using (NameScope("gradients"))
            seed = options.GradY ?? AD.OnesLike(y);
        if (options.GradY is not null)
        {
            CheckOwned(seed, "gradY");
            CheckGradient(y, seed, "gradY");
        }
        // An integer or bool y is piecewise constant: nothing flows from it (as TensorFlow, which gives None).
        if (onPath.Count > 0 && y.DType.IsFloatingPoint()) pending[y] = seed;
        var totals = new Dictionary<Node, Node>();

        // Ids are a topological order, so a descending walk visits a node after all its consumers.
        foreach (var node in onPath.OrderByDescending(n => n.Id))
        {
            if (!pending.Remove(node, out var dy)) continue;
            totals[node] = dy;
            if (stops is not null && stops.Contains(node) && node != y) continue;
            if (node.Inputs.Count == 0) continue;
            Node?[] grads;
            using (NameScope("gradients"))
            using (NameScope(node.Name.Replace('/', '_') + "_grad"))
                grads = node.Op.Vjp(node, dy);
            if (grads.Length != node.Inputs.Count)
                throw new GradientException($"The gradient rule of {node.OpType} '{node.Name}' returned {grads.Length} gradients for {node.Inputs.Count} inputs.");
            for (int i = 0; i < grads.Length; i++)
            {
                var input = node.Inputs[i];
                var g = grads[i];
                if (g is null || !onPath.Contains(input) || !input.DType.IsFloatingPoint()) continue;
                CheckGradient(input, g, $"input {i} of {node.OpType} '{node.Name}'");
                if (pending.TryGetValue(input, out var prev))
                    using (NameScope("gradients"))
                        g = prev + g;
                pending[input] = g;
            }
        }

        var result = new Node?[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            var total = totals.GetValueOrDefault(xs[i]);
            if (total is null && xs[i] == y) total = seed;
            result[i] = total ?? (options.ZerosForUnconnected ? AD.ZerosLike(xs[i]) : null);
        }
        return result;
    }

    /// <summary>Nodes that depend on some x and that y depends on.</summary>
    internal HashSet<Node> NodesBetween(Node y, Node[] xs)
    {
        var ancestors = new HashSet<Node>();
        var stack = new Stack<Node>();
        stack.Push(y);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!ancestors.Add(n)) continue;
            foreach (var input in n.InputArray) stack.Push(input);
        }
        var between = new HashSet<Node>();
        int minId = xs.Length == 0 ? int.MaxValue : xs.Min(x => x.Id);
        var xset = new HashSet<Node>(xs);
        for (int id = minId; id <= y.Id; id++)
        {
            var n = _nodes[id];
            if (!ancestors.Contains(n)) continue;
            bool reached = xset.Contains(n);
            if (!reached)
                foreach (var input in n.InputArray)
                    if (between.Contains(input)) { reached = true; break; }
            if (reached) between.Add(n);
        }
        return between;
    }

    private void CheckOwned(Node node, string role)
    {
        ArgumentNullException.ThrowIfNull(node, role);
        if (node.Graph != this)
            throw new InvalidGraphArgumentException($"Gradients: {role} '{node.Name}' belongs to another graph.");
    }

    /// <summary>Refuses to differentiate with respect to an integer or bool node: it has no derivative.</summary>
    private void CheckDifferentiable(Node x, string api)
    {
        CheckOwned(x, "x");
        if (!x.DType.IsFloatingPoint())
            throw new GradientException(
                $"{api}: '{x.Name}' ({x.OpType}) is {x.DType.Name()}; only float and double nodes have derivatives. Differentiate with respect to a floating-point node, or Cast it to float before it is used.");
    }

    private static void CheckGradient(Node x, Node g, string where)
    {
        if (g.DType != x.DType)
            throw new GradientException($"Gradient for {where} ('{x.Name}') is {g.DType.Name()} but the value is {x.DType.Name()}.");
        if (!x.Shape.IsCompatibleWith(g.Shape))
            throw new GradientException($"Gradient for {where} ('{x.Name}') has shape {g.Shape} but the value has shape {x.Shape}.");
    }
}
