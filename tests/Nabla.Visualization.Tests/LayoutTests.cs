using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Visualization.Tests;

/// <summary>The managed layered layout on random graphs, checked by geometry alone.</summary>
public class LayoutTests
{
    private static (List<(double Width, double Height)> Sizes, List<LayoutEdge> Edges) RandomGraph(int seed)
    {
        var random = new Random(seed);
        int count = 6 + random.Next(30);
        var sizes = Enumerable.Range(0, count).Select(_ => (90 + random.NextDouble() * 130, random.Next(2) == 0 ? 44.0 : 84.0)).ToList();
        var edges = new List<LayoutEdge>();
        for (int to = 1; to < count; to++)
            for (int k = random.Next(1, 4); k > 0; k--) // repeated pairs too, as in x*x
            {
                int from = random.Next(to);
                edges.Add(random.NextDouble() < 0.7 ? new LayoutEdge(from, to, 30 + random.NextDouble() * 130, 15) : new LayoutEdge(from, to));
            }
        return (sizes, edges);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void NoTwoBoxesOrLabelsOverlap(int seed)
    {
        var (sizes, edges) = RandomGraph(seed);
        var layout = GraphLayout.Compute(sizes, edges);
        for (int k = 0; k < sizes.Count; k++)
        {
            Assert.Equal(sizes[k].Width, layout.Boxes[k].Width, 6);
            Assert.Equal(sizes[k].Height, layout.Boxes[k].Height, 6);
        }
        var labels = layout.Edges.Where(e => e.Label is not null).Select(e => e.Label!.Value).ToList();
        Assert.Equal(edges.Count(e => e.HasLabel), labels.Count);
        var all = layout.Boxes.Select((r, k) => (r, name: $"box {k}")).Concat(labels.Select((r, k) => (r, name: $"label {k}"))).ToList();
        foreach (var (r, name) in all)
            Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= layout.Width && r.Bottom <= layout.Height, $"{name} {r} lies outside the {layout.Width}×{layout.Height} canvas");
        for (int i = 0; i < all.Count; i++)
            for (int j = i + 1; j < all.Count; j++)
                Assert.False(Shrunk(all[i].r).Overlaps(Shrunk(all[j].r)), $"{all[i].name} {all[i].r} overlaps {all[j].name} {all[j].r}");
    }

    [Theory]
    [InlineData(7)] [InlineData(8)] [InlineData(9)]
    public void EdgesRunLeftToRightFromTheirSourceBoxToTheArrowOnTheirTarget(int seed)
    {
        var (sizes, edges) = RandomGraph(seed);
        var layout = GraphLayout.Compute(sizes, edges);
        for (int k = 0; k < edges.Count; k++)
        {
            Rect from = layout.Boxes[edges[k].From], to = layout.Boxes[edges[k].To];
            Assert.True(from.CenterX < to.CenterX, $"edge {k} runs right to left");
            var start = FirstPoint(layout.Edges[k].Path);
            var tip = FirstPoint(layout.Edges[k].Arrowhead);
            Assert.True(DistanceToBorder(from, start) < 2, $"edge {k} starts at {start}, away from its source {from}");
            Assert.True(DistanceToBorder(to, tip) < 2, $"edge {k}'s arrow points at {tip}, away from its target {to}");
        }
    }

    [Fact]
    public void BoxesWithoutEdgesAndSeparateComponentsStillDoNotOverlap()
    {
        var sizes = Enumerable.Range(0, 7).Select(k => (100.0 + 10 * k, 44.0)).ToList();
        var layout = GraphLayout.Compute(sizes, [new LayoutEdge(0, 1, 60, 15), new LayoutEdge(2, 3), new LayoutEdge(2, 4, 80, 15)]);
        var all = layout.Boxes.Concat(layout.Edges.Where(e => e.Label is not null).Select(e => e.Label!.Value)).ToList();
        for (int i = 0; i < all.Count; i++)
            for (int j = i + 1; j < all.Count; j++)
                Assert.False(Shrunk(all[i]).Overlaps(Shrunk(all[j])), $"{all[i]} overlaps {all[j]}");
    }

    [Fact]
    public void ALoopIsRefusedAndNoBoxesGiveAnEmptyCanvas()
    {
        Assert.Throws<ArgumentException>(() => GraphLayout.Compute([(100, 40)], [new LayoutEdge(0, 0)]));
        var empty = GraphLayout.Compute([], []);
        Assert.Empty(empty.Boxes);
        Assert.Equal(2 * GraphLayout.Margin, empty.Width);
    }

    /// <summary>Half a pixel off each side, so rectangles that only touch do not count.</summary>
    private static Rect Shrunk(Rect r) => new(r.X + 0.5, r.Y + 0.5, r.Width - 1, r.Height - 1);

    private static (double X, double Y) FirstPoint(string path)
    {
        var m = Regex.Match(path, @"^M(-?[\d.]+),(-?[\d.]+)");
        Assert.True(m.Success, $"path '{path}' does not start with a move");
        return (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static double DistanceToBorder(Rect r, (double X, double Y) p)
    {
        double dx = Math.Max(Math.Max(r.X - p.X, p.X - r.Right), 0), dy = Math.Max(Math.Max(r.Y - p.Y, p.Y - r.Bottom), 0);
        double outside = Math.Sqrt(dx * dx + dy * dy);
        double inside = Math.Min(Math.Min(p.X - r.X, r.Right - p.X), Math.Min(p.Y - r.Y, r.Bottom - p.Y));
        return outside > 0 ? outside : inside;
    }
}
