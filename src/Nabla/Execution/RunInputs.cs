namespace Nabla.Execution;

/// <summary>The first pass of <see cref="PlanBuilder"/>: checks a run's fetches and feeds against the session's graph.</summary>
internal static class RunInputs
{
    /// <summary>The fed tensor per node id (null where not fed), after checking graphs, dtypes and shapes.</summary>
    public static Tensor?[] Check(Graph graph, IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        foreach (var f in fetches)
            if (f.Graph != graph) throw new InvalidGraphArgumentException($"Run: fetch '{f.Name}' belongs to another graph than the session's.");
        var fedValue = new Tensor?[graph.Nodes.Count];
        if (feeds is null) return fedValue;
        foreach (var (node, value) in feeds)
        {
            if (node.Graph != graph) throw new InvalidGraphArgumentException($"Run: fed node '{node.Name}' belongs to another graph than the session's.");
            ArgumentNullException.ThrowIfNull(value, $"feed of '{node.Name}'");
            CheckFeed(node, value);
            fedValue[node.Id] = value;
        }
        return fedValue;
    }

    private static void CheckFeed(Node node, Tensor fed)
    {
        if (fed.DType != node.DType)
            throw new FeedException($"Cannot feed a {fed.DType.Name()} value to '{node.Name}' ({node.OpType}) of dtype {node.DType.Name()}; convert it with Tensor.Cast.");
        if (!node.Shape.IsCompatibleWith(fed.Shape))
            throw new FeedException($"Cannot feed a value of shape {fed.Shape} for '{node.Name}' ({node.OpType}), which has shape {node.Shape}.");
    }
}
