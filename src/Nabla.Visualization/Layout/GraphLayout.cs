using System.Globalization;
using System.Text;
using Microsoft.Msagl.Core.Geometry;
using Microsoft.Msagl.Core.Geometry.Curves;
using Microsoft.Msagl.Core.Layout;
using Microsoft.Msagl.Core.Routing;
using Microsoft.Msagl.Layout.Layered;
using MsaglNode = Microsoft.Msagl.Core.Layout.Node;
using MsaglEdge = Microsoft.Msagl.Core.Layout.Edge;

namespace Nabla.Visualization;

/// <summary>
/// A left-to-right layered (Sugiyama) layout computed by MSAGL, Microsoft's automatic graph layout library:
/// layers, crossing reduction, spline routing, and edge labels placed as obstacles of their own, so no two
/// boxes or labels overlap. Coordinates are returned flipped into SVG's y-down frame, inside a margin.
/// </summary>
internal sealed class GraphLayout
{
    public const double Margin = 20, NodeSeparation = 22, LayerSeparation = 46, ArrowLength = 9, ArrowHalfWidth = 4;

    private GraphLayout(Rect[] boxes, RoutedEdge[] edges, double width, double height)
    {
        Boxes = boxes;
        Edges = edges;
        Width = width;
        Height = height;
    }

    /// <summary>Each box's rectangle, in the order the sizes were given.</summary>
    public IReadOnlyList<Rect> Boxes { get; }

    /// <summary>Each edge's route, in the order the edges were given.</summary>
    public IReadOnlyList<RoutedEdge> Edges { get; }

    public double Width { get; }
    public double Height { get; }

    /// <summary>Lays out boxes of the given sizes joined by <paramref name="edges"/> (which must not form a cycle through one box).</summary>
    public static GraphLayout Compute(IReadOnlyList<(double Width, double Height)> sizes, IReadOnlyList<LayoutEdge> edges)
    {
        if (sizes.Count == 0) return new GraphLayout([], [], 2 * Margin, 2 * Margin);
        var graph = new GeometryGraph();
        var nodes = sizes.Select(s => new MsaglNode(CurveFactory.CreateRectangle(s.Width, s.Height, new Point()))).ToArray();
        foreach (var n in nodes) graph.Nodes.Add(n);
        var msaglEdges = new MsaglEdge[edges.Count];
        for (int k = 0; k < edges.Count; k++)
        {
            var e = edges[k];
            if (e.From == e.To) throw new ArgumentException($"Edge {k} joins box {e.From} to itself; a layered layout draws no loops.", nameof(edges));
            var edge = new MsaglEdge(nodes[e.From], nodes[e.To]);
            edge.EdgeGeometry.TargetArrowhead = new Arrowhead { Length = ArrowLength };
            if (e.HasLabel)
            {
                edge.Label = new Label(e.LabelWidth, e.LabelHeight, edge);
                edge.Labels.Add(edge.Label);
            }
            graph.Edges.Add(edge);
            msaglEdges[k] = edge;
        }
        var settings = new SugiyamaLayoutSettings
        {
            Transformation = PlaneTransformation.Rotation(Math.PI / 2), // layers run left to right
            NodeSeparation = NodeSeparation,
            LayerSeparation = LayerSeparation,
            RandomSeedForOrdering = 1,
        };
        settings.EdgeRoutingSettings.EdgeRoutingMode = EdgeRoutingMode.SugiyamaSplines;
        new LayeredLayout(graph, settings).Run();

        // MSAGL's y axis points up; SVG's points down.
        var bounds = graph.BoundingBox;
        foreach (var n in nodes) bounds.Add(n.BoundingBox);
        foreach (var e in msaglEdges)
        {
            if (e.Curve is not null) bounds.Add(e.Curve.BoundingBox);
            if (e.Label is not null) bounds.Add(e.Label.BoundingBox);
            if (e.EdgeGeometry.TargetArrowhead is { } a) bounds.Add(a.TipPosition);
        }
        Point Map(Point p) => new(p.X - bounds.Left + Margin, bounds.Top - p.Y + Margin);
        Rect MapRect(Rectangle r) { var tl = Map(new Point(r.Left, r.Top)); return new Rect(tl.X, tl.Y, r.Width, r.Height); }

        var boxes = nodes.Select(n => MapRect(n.BoundingBox)).ToArray();
        var routes = msaglEdges.Select(e => new RoutedEdge(PathData(e.Curve, Map), ArrowheadData(e, Map), e.Label is null ? null : MapRect(e.Label.BoundingBox))).ToArray();
        return new GraphLayout(boxes, routes, bounds.Width + 2 * Margin, bounds.Height + 2 * Margin);
    }

    /// <summary>SVG path data for an MSAGL curve: lines and cubic Béziers as they are, any other segment sampled.</summary>
    private static string PathData(ICurve? curve, Func<Point, Point> map)
    {
        if (curve is null) return "";
        var sb = new StringBuilder();
        void Append(char command, params Point[] points)
        {
            sb.Append(command);
            foreach (var p in points.Select(map)) sb.Append(CultureInfo.InvariantCulture, $"{p.X:0.#},{p.Y:0.#} ");
        }
        Append('M', curve.Start);
        var segments = curve is Curve c ? c.Segments : [curve];
        foreach (var s in segments)
            switch (s)
            {
                case LineSegment line: Append('L', line.End); break;
                case CubicBezierSegment bezier: Append('C', bezier.B(1), bezier.B(2), bezier.B(3)); break;
                default:
                    const int samples = 12;
                    for (int k = 1; k <= samples; k++) Append('L', s[s.ParStart + (s.ParEnd - s.ParStart) * k / samples]);
                    break;
            }
        return sb.ToString().TrimEnd();
    }

    /// <summary>A closed triangle from the end of the (shortened) curve to the arrowhead's tip.</summary>
    private static string ArrowheadData(MsaglEdge e, Func<Point, Point> map)
    {
        if (e.Curve is null || e.EdgeGeometry.TargetArrowhead is not { } head) return "";
        Point tip = head.TipPosition, start = e.Curve.End;
        var along = tip - start;
        if (along.Length < 1e-9) return "";
        var side = new Point(-along.Y, along.X) * (ArrowHalfWidth / along.Length);
        Point[] corners = [map(tip), map(start + side), map(start - side)];
        return string.Create(CultureInfo.InvariantCulture,
            $"M{corners[0].X:0.#},{corners[0].Y:0.#} L{corners[1].X:0.#},{corners[1].Y:0.#} L{corners[2].X:0.#},{corners[2].Y:0.#} Z");
    }
}
