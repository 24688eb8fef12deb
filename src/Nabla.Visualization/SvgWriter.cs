using System.Globalization;
using System.Net;
using System.Text;

namespace Nabla.Visualization;

/// <summary>
/// Draws annotated nodes as SVG with the managed <see cref="GraphLayout"/>: one box per node (name, op and shape,
/// value in green, gradient in red), edges labelled with their local partial derivatives. Colours are presentation
/// attributes, so the SVG stands alone; the HTML page adds classes' rules for its steps. Element ids:
/// node{id} for a node's group, v{id} and g{id} for its value and gradient, e{id}_{i} and p{id}_{i} for the edge
/// into input i of node id and its label (a group: a white card and the text).
/// </summary>
internal static class SvgWriter
{
    private const double NameSize = 14, DetailSize = 11, ValueSize = 13, PartialSize = 11, Padding = 10;
    private const double MinBoxWidth = 90, LabelPadding = 4, LabelHeight = 15;
    public const string FontFamily = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

    private sealed record Box(Node? Node, string? Scope, int Count);

    /// <summary>
    /// The SVG of the picture; <paramref name="interactive"/> hides values, gradients and partials (class "hidden")
    /// for the HTML page to reveal step by step, and draws every node (collapsed scopes are for still pictures).
    /// </summary>
    public static string Write(Annotations a, bool interactive)
    {
        var (boxes, boxOf) = Boxes(a, interactive);
        var edges = new List<(Node Consumer, int Input, string? Label)>();
        var layoutEdges = new List<LayoutEdge>();
        var joined = new HashSet<(int, int)>();
        foreach (var n in a.Nodes)
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                if (!boxOf.TryGetValue(n.Inputs[i], out int from)) continue;
                int to = boxOf[n];
                bool detailed = boxes[from].Node is not null && boxes[to].Node is not null;
                if (!detailed && (from == to || !joined.Add((from, to)))) continue;
                string? label = detailed && a.Partials.TryGetValue((n, i), out var p) ? PictureText.Partial(a, n, i, p) : null;
                edges.Add((n, i, label));
                layoutEdges.Add(label is null ? new LayoutEdge(from, to)
                    : new LayoutEdge(from, to, TextWidth.Of(Clip(label, 30), PartialSize) + 2 * LabelPadding, LabelHeight));
            }

        bool values = a.Values.Count > 0, gradients = a.Gradients.Count > 0 && a.Output is not null;
        double height = 44 + (values ? 20 : 0) + (gradients ? 20 : 0);
        var sizes = boxes.Select(b => (Math.Max(MinBoxWidth, Lines(a, b).Max(l => TextWidth.Of(l.Text, l.Size)) + 2 * Padding), height)).ToList();
        var layout = GraphLayout.Compute(sizes, layoutEdges);

        var sb = new StringBuilder();
        sb.Append(Invariant($"<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.Width:0}\" height=\"{layout.Height:0}\" viewBox=\"0 0 {layout.Width:0} {layout.Height:0}\" font-family=\"{FontFamily}\">\n"));
        if (!interactive)
            sb.Append(Invariant($"<rect width=\"{layout.Width:0}\" height=\"{layout.Height:0}\" fill=\"#ffffff\"/>\n"));
        string hidden = interactive ? " hidden" : "";
        for (int k = 0; k < edges.Count; k++)
        {
            var (n, i, _) = edges[k];
            var route = layout.Edges[k];
            sb.Append(Invariant($"<g id=\"e{n.Id}_{i}\" class=\"edge\"><path class=\"line\" d=\"{route.Path}\" fill=\"none\" stroke=\"{Palette.Edge}\" stroke-width=\"1.4\"/><path class=\"head\" d=\"{route.Arrowhead}\" fill=\"{Palette.Edge}\"/></g>\n"));
        }
        for (int k = 0; k < boxes.Count; k++)
            WriteBox(sb, a, boxes[k], layout.Boxes[k], hidden);
        for (int k = 0; k < edges.Count; k++)
        {
            var (n, i, label) = edges[k];
            if (label is null || layout.Edges[k].Label is not { } r) continue;
            // Each label sits on a white card, so the edges that pass behind it do not cross its text; a clipped
            // label keeps its whole text in a tooltip (a title beside the text, where renderers do not draw it).
            string shown = Clip(label, 30);
            sb.Append(Invariant($"<g id=\"p{n.Id}_{i}\" class=\"partial{hidden}\">"));
            if (shown != label) sb.Append($"<title>{Xml(label)}</title>");
            sb.Append(Invariant($"<rect x=\"{r.X:0.#}\" y=\"{r.Y:0.#}\" width=\"{r.Width:0.#}\" height=\"{r.Height:0.#}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"));
            sb.Append(Invariant($"<text x=\"{r.CenterX:0.#}\" y=\"{r.CenterY + PartialSize * 0.36:0.#}\" text-anchor=\"middle\" font-size=\"{PartialSize}\" fill=\"{Palette.Partial}\">{Xml(shown)}</text></g>\n"));
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>One box per drawn node, except that the nodes of a collapsed scope share one (still pictures only).</summary>
    private static (List<Box> Boxes, Dictionary<Node, int> BoxOf) Boxes(Annotations a, bool interactive)
    {
        var collapsed = interactive ? [] : a.Options.CollapsedScopes.Select(s => s.Trim('/')).Where(s => s.Length > 0).OrderBy(s => s.Length).ToArray();
        var boxes = new List<Box>();
        var boxOf = new Dictionary<Node, int>();
        var scopeBox = new Dictionary<string, int>();
        foreach (var n in a.Nodes)
        {
            string scope = n.Name.LastIndexOf('/') is var k and >= 0 ? n.Name[..k] : "";
            string? folded = collapsed.FirstOrDefault(c => scope == c || scope.StartsWith(c + "/", StringComparison.Ordinal));
            if (folded is null) { boxOf[n] = boxes.Count; boxes.Add(new Box(n, null, 1)); continue; }
            if (!scopeBox.TryGetValue(folded, out int b)) { b = scopeBox[folded] = boxes.Count; boxes.Add(new Box(null, folded, 0)); }
            boxes[b] = boxes[b] with { Count = boxes[b].Count + 1 };
            boxOf[n] = b;
        }
        return (boxes, boxOf);
    }

    private sealed record Line(string Class, string Text, double Size, string Color, string? Id);

    /// <summary>The lines of text a box shows, each clipped to a length that keeps boxes readable.</summary>
    private static List<Line> Lines(Annotations a, Box box)
    {
        if (box.Node is not { } n)
            return [new Line("name", Clip(box.Scope!, 22), NameSize, "#1f2328", null), new Line("detail", $"{box.Count} nodes (collapsed)", DetailSize, Palette.Detail, null)];
        var lines = new List<Line>
        {
            new("name", Clip(a.Label(n), 22), NameSize, "#1f2328", null),
            new("detail", Clip($"{n.OpType} {ShapeOf(a, n)}", 28), DetailSize, Palette.Detail, null),
        };
        if (a.ValueText(n) is { } value) lines.Add(new("value", Clip(value, 26), ValueSize, Palette.Value, $"v{n.Id}"));
        if (a.Output is { } && a.GradientText(n) is { } grad) lines.Add(new("grad", Clip(PictureText.Gradient(a, n, grad), 26), ValueSize, Palette.Gradient, $"g{n.Id}"));
        return lines;
    }

    private static void WriteBox(StringBuilder sb, Annotations a, Box box, Rect r, string hidden)
    {
        var n = box.Node;
        string kind = n?.Op.SourceKind switch { null => "collapsed", SourceKind.Placeholder => "placeholder", SourceKind.Constant => "constant", SourceKind.Variable => "variable", _ => "op" };
        string fill = kind switch
        {
            "placeholder" => Palette.Placeholder, "constant" => Palette.Constant, "variable" => Palette.Variable,
            "collapsed" => Palette.Collapsed, _ => Palette.Op,
        };
        string dash = kind == "constant" ? " stroke-dasharray=\"4 3\"" : "";
        double stroke = n is not null && n == a.Output ? 2.4 : 1.2;
        string name = n?.Name ?? box.Scope!;
        sb.Append(Invariant($"<g class=\"node {kind}\" id=\"{(n is null ? "scope_" + Xml(box.Scope!) : $"node{n.Id}")}\" data-name=\"{Xml(name)}\">"));
        sb.Append(Invariant($"<title>{Xml(n is null ? $"{box.Scope}: {box.Count} nodes" : $"{n.Name}: {n.OpType} {ShapeOf(a, n)}")}</title>"));
        sb.Append(Invariant($"<rect class=\"box\" x=\"{r.X:0.#}\" y=\"{r.Y:0.#}\" width=\"{r.Width:0.#}\" height=\"{r.Height:0.#}\" rx=\"8\" fill=\"{fill}\" stroke=\"{Palette.Detail}\" stroke-width=\"{stroke}\"{dash}/>"));
        double y = r.Y;
        foreach (var line in Lines(a, box))
        {
            y += line.Class == "name" ? 19 : line.Class == "detail" ? 16 : 20;
            string id = line.Id is null ? "" : $" id=\"{line.Id}\"";
            string cls = line.Id is null ? line.Class : line.Class + hidden;
            string weight = line.Class == "name" ? " font-weight=\"bold\"" : "";
            sb.Append(Invariant($"<text{id} class=\"{cls}\" x=\"{r.CenterX:0.#}\" y=\"{y:0.#}\" text-anchor=\"middle\" font-size=\"{line.Size}\" fill=\"{line.Color}\"{weight}>{Xml(line.Text)}</text>"));
        }
        sb.Append("</g>\n");
    }

    /// <summary>The shape of the node's value when it was run, else the shape known when it was built.</summary>
    private static Shape ShapeOf(Annotations a, Node n) => a.Values.TryGetValue(n, out var v) ? v.Shape : n.Shape;

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Xml(string s) => WebUtility.HtmlEncode(s);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
