namespace Nabla.Visualization;

/// <summary>
/// A simple left-to-right layered layout: an op's column is one past its deepest input, a source (placeholder,
/// constant, variable) sits just left of its first reader, and nodes in a column are ordered by the mean row of
/// their neighbours (barycenter sweeps left to right, right to left, then left to right), then centred vertically.
/// </summary>
internal sealed class LayeredLayout
{
    public const double Width = 170, Height = 84, GapX = 90, GapY = 34, Margin = 44;

    public LayeredLayout(IReadOnlyList<Node> nodes)
    {
        var drawn = nodes.ToHashSet();
        var inputs = nodes.ToDictionary(n => n, n => n.Inputs.Where(drawn.Contains).Distinct().ToList());
        var readers = nodes.ToDictionary(n => n, _ => new List<Node>());
        foreach (var n in nodes)
            foreach (var i in inputs[n]) readers[i].Add(n);

        var column = new Dictionary<Node, int>();
        foreach (var n in nodes) // creation order is topological
            column[n] = inputs[n].Select(i => column[i] + 1).DefaultIfEmpty(0).Max();
        foreach (var n in nodes)
            if (inputs[n].Count == 0 && readers[n].Count > 0) column[n] = Math.Max(0, readers[n].Min(r => column[r]) - 1);

        var columns = nodes.GroupBy(n => column[n]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var row = new Dictionary<Node, double>();
        foreach (var col in columns)
            for (int k = 0; k < col.Count; k++) row[col[k]] = k;
        Sweep(columns, row, inputs);
        Sweep(Enumerable.Reverse(columns), row, readers);
        Sweep(columns, row, inputs);

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

    /// <summary>Reorders each column by the mean row of each node's neighbours; nodes without any keep their row.</summary>
    private static void Sweep(IEnumerable<List<Node>> columns, Dictionary<Node, double> row, Dictionary<Node, List<Node>> neighbours)
    {
        foreach (var col in columns)
        {
            var ordered = col
                .Select(n => (n, key: neighbours[n].Select(m => row[m]).DefaultIfEmpty(row[n]).Average()))
                .OrderBy(t => t.key).ThenBy(t => row[t.n]).Select(t => t.n).ToList();
            col.Clear();
            col.AddRange(ordered);
            for (int k = 0; k < col.Count; k++) row[col[k]] = k;
        }
    }
}
