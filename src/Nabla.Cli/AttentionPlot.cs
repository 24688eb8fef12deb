using ScottPlot;

namespace Nabla.Cli;

/// <summary>Draws one head's attention weights as a heatmap PNG: a row per query character, a column per key character it looks at.</summary>
internal static class AttentionPlot
{
    public static void Save(string path, double[,,] weights, int head, int layer, string characters)
    {
        int n = weights.GetLength(1);
        var grid = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) grid[i, j] = weights[head, i, j];
        var plot = new Plot();
        var map = plot.Add.Heatmap(grid);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        string Label(int i) => characters[i] == '\n' ? "\\n" : characters[i].ToString();
        var ticks = Enumerable.Range(0, n).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(i => (double)i).ToArray(), ticks.Select(Label).ToArray());
        plot.Axes.Left.SetTicks(ticks.Select(i => (double)(n - 1 - i)).ToArray(), ticks.Select(Label).ToArray());
        plot.Title($"attention of block {layer}, head {head} on \"{characters.Replace("\n", "\\n")}\"");
        plot.XLabel("key (attended to)");
        plot.YLabel("query (predicting the next character)");
        TrainingLog.WriteAtomically(path, temp => plot.SavePng(temp, 640, 600));
    }
}
