namespace Nabla.Execution;

/// <summary>The nodes a run needs, in topological order: <see cref="Order"/>[slot] is the node whose value lives in that slot.</summary>
internal sealed record PrunedGraph(Node[] Order, int[] SlotOf, bool[] Needed);

/// <summary>The prune pass of <see cref="PlanBuilder"/>: walks back from the fetches, stopping at fed nodes.</summary>
internal static class Pruning
{
    public static PrunedGraph Prune(Graph graph, IReadOnlyList<Node> fetches, Tensor?[] fedValue)
    {
        int nodeCount = graph.Nodes.Count;
        var needed = new bool[nodeCount];
        var stack = new Stack<Node>(fetches);
        int neededCount = 0;
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (needed[n.Id]) continue;
            needed[n.Id] = true;
            neededCount++;
            if (fedValue[n.Id] is not null) continue;
            foreach (var input in n.InputArray) stack.Push(input);
        }
        // Ids are a topological order, so slots in id order are one too.
        var order = new Node[neededCount];
        var slotOf = new int[nodeCount];
        for (int id = 0, s = 0; id < nodeCount; id++)
            if (needed[id]) { slotOf[id] = s; order[s++] = graph.Nodes[id]; }
        return new PrunedGraph(order, slotOf, needed);
    }
}
