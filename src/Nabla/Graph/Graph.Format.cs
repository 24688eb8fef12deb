namespace Nabla;

public sealed partial class Graph
{
    private const int ListedOpTypes = 8;

    /// <summary>
    /// The graph's size and what it is made of, the most frequent op types first:
    /// "Graph(7 nodes: 4 Placeholder, 2 Mul, 1 Add)"; beyond 8 op types the rest are counted together.
    /// </summary>
    public override string ToString()
    {
        var types = _nodes.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var listed = types.Take(ListedOpTypes).Select(g => $"{g.Count()} {g.Key}").ToList();
        if (types.Count > ListedOpTypes) listed.Add($"{types.Skip(ListedOpTypes).Sum(g => g.Count())} of {types.Count - ListedOpTypes} other types");
        return _nodes.Count == 0 ? "Graph(empty)" : $"Graph({_nodes.Count} {(_nodes.Count == 1 ? "node" : "nodes")}: {string.Join(", ", listed)})";
    }
}
