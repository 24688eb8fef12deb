namespace Nabla.Visualization;

/// <summary>
/// A simple left-to-right layered layout: a node's column is one past its deepest input, and nodes in a
/// column are ordered by the mean row of their inputs (barycenter), then centred vertically.
/// </summary>
internal sealed class LayeredLayout
{
    public const double Width = 170, Height = 84, GapX = 90, GapY = 34, Margin = 44;

    public LayeredLayout(IReadOnlyList<Node> nodes)
    {
        var drawn = nodes.ToHashSet();
        var column = new Dictionary<Node, int>();
        foreach (var n in nodes) // creation order is topological
            column[n] = n.Inputs.Where(drawn.Contains).Select(i => column[i] + 1).DefaultIfEmpty(0).Max();
        var columns = nodes.GroupBy(n => column[n]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();

        var row = new Dictionary<Node, double>();
        foreach (var col in columns)
        {
            var ordered = col
                .Select((n, k) => (n, key: n.Inputs.Where(row.ContainsKey).Select(i => row[i]).DefaultIfEmpty(k).Average(), k))
                .OrderBy(t => t.key).ThenBy(t => t.k).Select(t => t.n).ToList();
            for (int k = 0; k < ordered.Count; k++) row[ordered[k]] = k;
        }

        int tallest = columns.Count == 0 ? 0 : columns.Max(c => c.Count);
        foreach (var col in columns)
        {
            double offset = (tallest - col.Count) * (Height + GapY) / 2;
            foreach (var n in col)
                Positions[n] = (Margin + column[n] * (Width + GapX), Margin + offset + row[n] * (Height + GapY));
        }
        CanvasWidth = 2 * Margin + Math.Max(1, columns.Count) * (Width + GapX) - GapX;
        CanvasHeight = 2 * Margin + Math.Max(1, tallest) * (Height + GapY) - GapY;
    }

    /// <summary>Top-left corner of each node's box.</summary>
    public Dictionary<Node, (double X, double Y)> Positions { get; } = [];

    public double CanvasWidth { get; }
    public double CanvasHeight { get; }
}
