using System.Text;

namespace Nabla.Visualization;

/// <summary>
/// Writes out backpropagation on an expression by hand: for each variable, the chain rule along every path
/// from it to the output with the numbers ("dg/da = ∂g/∂e · ∂e/∂a = 1 · 2 = 2": the total derivative d as a sum over
/// paths of products of local partials ∂), paths summed, and the cost
/// of reverse against forward mode counted from the plans the session compiles.
/// </summary>
public static class Explainer
{
    /// <summary>Paths listed one by one up to this many per variable; beyond it only their number and sum.</summary>
    public const int MaxListedPaths = 32;

    /// <summary>
    /// What the control-flow node <paramref name="node"/> (Cond, Scan or WhileLoop) does and how its gradient is
    /// computed, in plain words; with a <paramref name="session"/> (and <paramref name="feeds"/>) it also says what a
    /// run showed: the taken branch, the number of steps, the iterations run.
    /// </summary>
    public static string Describe(Node node, Session? session = null, Feeds? feeds = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var a = new Annotations(node.Graph, new RenderOptions { Fetches = [node], Session = session, Feeds = feeds });
        return ControlFlowText.Describe(a, node);
    }

    /// <summary>What a drawn control-flow node does and how its gradient is computed, with the annotations' values.</summary>
    internal static string Describe(Annotations a, Node node) => ControlFlowText.Describe(a, node);

    /// <summary>The explanation of <paramref name="expression"/> at the values in <paramref name="feeds"/>.</summary>
    public static string Explain(Expression expression, Feeds feeds)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var graph = expression.Graph;
        var output = expression.Output;
        using var session = new Session(graph);
        var a = new Annotations(graph, new RenderOptions { Session = session, Feeds = feeds, Output = output });
        string g = a.Label(output);

        var sb = new StringBuilder();
        sb.AppendLine($"{g} = {expression.Text}");
        foreach (var n in expression.Intermediates)
            sb.AppendLine($"  {n.Name} = {expression.Definitions[n]} = {a.ValueText(n)}");
        sb.AppendLine();
        sb.AppendLine("chain rule, along every path from each variable to the output:");
        foreach (var v in expression.Variables)
            Explain(sb, a, v, output);

        sb.AppendLine();
        sb.Append(Cost(session, expression, feeds));
        return sb.ToString();
    }

    private static void Explain(StringBuilder sb, Annotations a, Node v, Node output)
    {
        string g = a.Label(output), x = a.Label(v);
        string lhs = PictureText.Total(a, v);
        if (v == output) { sb.AppendLine($"{lhs} = 1"); return; }
        var paths = Paths(a, v, output).Take(MaxListedPaths + 1).ToList();
        if (paths.Count == 0) { sb.AppendLine($"{lhs} = 0 ({g} does not depend on {x})"); return; }
        if (paths.Count > MaxListedPaths)
        {
            sb.AppendLine($"{lhs} = sum over more than {MaxListedPaths} paths = {a.GradientText(v)} (by reverse mode)");
            return;
        }
        var symbolic = paths.Select(p => string.Join(" · ", p.Select(e => PictureText.Local(a, e.Consumer, e.Input))));
        var numeric = paths.Select(p => string.Join(" · ", p.Select(e => Number(a.Partials[e].GetFlat(0)))));
        double total = paths.Sum(p => p.Aggregate(1.0, (product, e) => product * a.Partials[e].GetFlat(0)));
        string sum = ValueFormat.Number(total);
        bool trivial = paths.Count == 1 && paths[0].Count == 1;
        sb.AppendLine(trivial
            ? $"{lhs} = {symbolic.Single()} = {numeric.Single()}"
            : $"{lhs} = {string.Join(" + ", symbolic)} = {string.Join(" + ", numeric)} = {sum}");
        if (paths.Count > 1)
        {
            foreach (var p in paths)
            {
                // From the variable to the output, each step naming the operand when an op reads one node twice.
                string route = string.Join(" → ", new[] { x }.Concat(p.AsEnumerable().Reverse().Select(e =>
                    PictureText.Operand(e.Consumer, e.Input) is { } operand ? $"{a.Label(e.Consumer)} ({operand})" : a.Label(e.Consumer))));
                double product = p.Aggregate(1.0, (acc, e) => acc * a.Partials[e].GetFlat(0));
                sb.AppendLine($"    path {route}: {ValueFormat.Number(product)}");
            }
            sb.AppendLine($"    {paths.Count} paths summed: {sum}; reverse mode gives {a.GradientText(v)}");
        }
    }

    /// <summary>Every path from <paramref name="v"/> to <paramref name="output"/> as edges listed from the output end.</summary>
    private static IEnumerable<List<(Node Consumer, int Input)>> Paths(Annotations a, Node v, Node output)
    {
        // Depth-first over (node, edges so far); a graph's paths are finite because it is acyclic.
        var stack = new Stack<(Node Node, List<(Node, int)> Edges)>();
        stack.Push((v, []));
        while (stack.Count > 0)
        {
            var (node, edges) = stack.Pop();
            if (node == output) { var path = new List<(Node, int)>(edges); path.Reverse(); yield return path; continue; }
            var next = ChainRule.Edges(a, node).ToList();
            for (int k = next.Count - 1; k >= 0; k--)
                stack.Push((next[k].Consumer, [.. edges, next[k]]));
        }
    }

    private static string Number(double value) => value < 0 ? $"({ValueFormat.Number(value)})" : ValueFormat.Number(value);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>
    /// Ops in the plans that compute the output together with its derivatives: reverse mode fetches the output and
    /// every gradient (one backward sweep), forward mode the output and one directional derivative per variable.
    /// </summary>
    private static string Cost(Session session, Expression expression, Feeds feeds)
    {
        var graph = expression.Graph;
        var output = expression.Output;
        var vars = expression.Variables.ToArray();
        int forward = session.PlanStepCount([output], feeds);
        var grads = graph.Gradients(output, vars).Where(n => n is not null).Select(n => n!);
        int reverse = session.PlanStepCount([output, .. grads], feeds);
        var sweeps = vars.Select(v => session.PlanStepCount([output, graph.Jvp(output, [v], [graph.Scalar(1, v.DType)])], feeds)).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine($"cost on this graph, counted in the ops of the plans the session runs to get {output.Name} and its derivatives:");
        sb.AppendLine($"  forward pass alone:  {Count(forward, "op")}");
        sb.AppendLine($"  reverse mode:        {Count(reverse, "op")} (the forward pass, then one backward sweep for {Count(vars.Length, "variable")})");
        string perSweep = sweeps.Length == 0 ? "none" : string.Join(" + ", sweeps);
        sb.AppendLine($"  forward mode:        {Count(sweeps.Sum(), "op")} ({Count(vars.Length, "sweep")}, one per variable: {perSweep})");
        return sb.ToString();
    }
}
