using System.Text;
using static Nabla.Visualization.SvgWriter;

namespace Nabla.Visualization;

/// <summary>
/// One laid-out level of a picture: the outer graph, or one section of a control-flow cluster. A control-flow node is
/// one box of its level, as large as its cluster: a header box (its name, what it does, its value and gradient) above
/// one framed section per function, each section a level of its own laid out inside. Edges into a cluster are
/// labelled with what they feed ("captured", "initial carry 0", "predicate"), edges out of it with the result they
/// carry, and inside a section a dashed edge carries each next carry back to its parameter.
/// </summary>
internal sealed class SvgLevel
{
    private const double ClusterPadding = 10, SectionGap = 8, SectionTitleHeight = 22;

    private sealed record Box(Node? Node, string? Scope, int Count, List<Line> Lines, ControlFlowScene? Scene, SvgLevel[] Sections);

    private sealed record Edge(string Id, string? Label, string Kind);

    private readonly Annotations _a;
    private readonly List<Box> _boxes;
    private readonly List<Edge> _edges;
    private readonly GraphLayout _layout;
    private readonly string _prefix, _hidden;
    private readonly string? _title;
    private readonly bool _values, _gradients;

    private SvgLevel(Annotations a, List<Box> boxes, List<Edge> edges, GraphLayout layout, string prefix, bool interactive, string? title, bool values, bool gradients)
    {
        _values = values;
        _gradients = gradients;
        _a = a;
        _boxes = boxes;
        _edges = edges;
        _layout = layout;
        _prefix = prefix;
        _hidden = interactive ? " hidden" : "";
        _title = title;
    }

    public double Width => _layout.Width;
    public double Height => _layout.Height;

    /// <summary>Lays out <paramref name="nodes"/>; ids of the elements drawn start with <paramref name="prefix"/>.</summary>
    public static SvgLevel Build(Annotations a, IReadOnlyList<Node> nodes, bool interactive, string prefix, BodySection? section = null)
    {
        bool outer = section is null;
        var collapsed = interactive || !outer ? [] : a.Options.CollapsedScopes.Select(s => s.Trim('/')).Where(s => s.Length > 0).OrderBy(s => s.Length).ToArray();
        var boxes = new List<Box>();
        var boxOf = new Dictionary<Node, int>();
        var scopeBox = new Dictionary<string, int>();
        var roles = section is null ? [] : section.Results.GroupBy(r => r.Node).ToDictionary(g => g.Key, g => "→ " + string.Join(", ", g.Select(r => r.Role)));
        foreach (var n in nodes)
        {
            string scope = n.Name.LastIndexOf('/') is var k and >= 0 ? n.Name[..k] : "";
            string? folded = collapsed.FirstOrDefault(c => scope == c || scope.StartsWith(c + "/", StringComparison.Ordinal));
            if (folded is null)
            {
                boxOf[n] = boxes.Count;
                var scene = ControlFlowScene.Of(a, n);
                var sections = scene is null ? [] : scene.Sections.Select((s, j) => Build(a, s.Nodes, interactive, $"{prefix}c{n.Id}s{j}_", s)).ToArray();
                boxes.Add(new Box(n, null, 1, Lines(a, n, scene?.Summary, roles.GetValueOrDefault(n)), scene, sections));
                continue;
            }
            if (!scopeBox.TryGetValue(folded, out int b)) { b = scopeBox[folded] = boxes.Count; boxes.Add(new Box(null, folded, 0, [], null, [])); }
            boxes[b] = boxes[b] with { Count = boxes[b].Count + 1 };
            boxOf[n] = b;
        }
        for (int b = 0; b < boxes.Count; b++)
            if (boxes[b].Node is null)
                boxes[b] = boxes[b] with
                {
                    Lines = [new Line("name", Clip(boxes[b].Scope!, 22), NameSize, "#1f2328", null), new Line("detail", $"{boxes[b].Count} nodes (collapsed)", DetailSize, Palette.Detail, null)],
                };

        var edges = new List<Edge>();
        var layoutEdges = new List<LayoutEdge>();
        var joined = new HashSet<(int, int)>();
        void Add(int from, int to, Edge e)
        {
            edges.Add(e);
            layoutEdges.Add(e.Label is null ? new LayoutEdge(from, to)
                : new LayoutEdge(from, to, TextWidth.Of(Clip(e.Label, 30), PartialSize) + 2 * LabelPadding, LabelHeight));
        }
        foreach (var n in nodes)
        {
            var scene = boxes[boxOf[n]].Scene;
            int? result = ControlFlowInfo.ResultIndex(n);
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                // A Result node reads its control-flow node's inputs only for their shapes.
                if (result is not null && i > 0) break;
                if (!boxOf.TryGetValue(n.Inputs[i], out int from)) continue;
                int to = boxOf[n];
                bool detailed = boxes[from].Node is not null && boxes[to].Node is not null;
                if (!detailed && (from == to || !joined.Add((from, to)))) continue;
                if (scene is not null) { Add(from, to, new Edge($"{n.Id}_{i}", scene.InputRole(i), "role")); continue; }
                if (result is { } r && n.Inputs[0].ControlFlow is { } info) { Add(from, to, new Edge($"{n.Id}_{i}", info.NodeResultRoles[r], "role")); continue; }
                string? label = detailed && a.Partials.TryGetValue((n, i), out var p) ? PictureText.Partial(a, n, i, p) : null;
                Add(from, to, new Edge($"{n.Id}_{i}", label, "partial"));
            }
        }
        if (section is not null)
            foreach (var (fromNode, toNode, role) in section.Carries)
                Add(boxOf[fromNode], boxOf[toNode], new Edge($"carry{fromNode.Id}_{toNode.Id}", "carried to " + role["next ".Length..], "carry"));

        // Only outer nodes have values: the body runs inside its control-flow node.
        bool values = outer && a.Values.Count > 0, gradients = outer && a.Gradients.Count > 0 && a.Output is not null;
        var sizes = boxes.Select(b => b.Scene is null ? BoxSize(b, values, gradients) : ClusterSize(b, values, gradients)).ToList();
        return new SvgLevel(a, boxes, edges, GraphLayout.Compute(sizes, layoutEdges), prefix, interactive, section?.Title, values, gradients);
    }

    private static (double Width, double Height) BoxSize(Box b, bool values, bool gradients) =>
        (SvgWriter.Width(b.Lines), 44 + (b.Lines.Any(l => l.Class == "role") ? 16 : 0) + (values ? 20 : 0) + (gradients ? 20 : 0));

    private static (double Width, double Height) ClusterSize(Box b, bool values, bool gradients)
    {
        var header = BoxSize(b, values, gradients);
        double width = header.Width, height = header.Height;
        foreach (var s in b.Sections)
        {
            width = Math.Max(width, s.SectionWidth);
            height += SectionGap + SectionTitleHeight + s.Height;
        }
        return (width + 2 * ClusterPadding, height + 2 * ClusterPadding);
    }

    private double SectionWidth => Math.Max(Width, TextWidth.Of(_title ?? "", DetailSize) + 2 * Padding);

    /// <summary>Draws the level with its origin at the current user space origin.</summary>
    public void Draw(StringBuilder sb)
    {
        for (int k = 0; k < _edges.Count; k++)
        {
            var e = _edges[k];
            var route = _layout.Edges[k];
            string dash = e.Kind == "carry" ? " stroke-dasharray=\"5 4\"" : "";
            sb.Append(Invariant($"<g id=\"{_prefix}e{e.Id}\" class=\"{(e.Kind == "partial" ? "edge" : "edge " + e.Kind)}\"><path class=\"line\" d=\"{route.Path}\" fill=\"none\" stroke=\"{Palette.Edge}\" stroke-width=\"1.4\"{dash}/><path class=\"head\" d=\"{route.Arrowhead}\" fill=\"{Palette.Edge}\"/></g>\n"));
        }
        for (int k = 0; k < _boxes.Count; k++)
        {
            var b = _boxes[k];
            var r = _layout.Boxes[k];
            if (b.Scene is null)
            {
                string title = b.Node is { } n ? $"{n.Name}: {n.OpType} {ShapeOf(_a, n)}" : $"{b.Scope}: {b.Count} nodes";
                WriteBox(sb, _a, b.Node, b.Scope, b.Lines, r, _hidden, _prefix, title);
            }
            else DrawCluster(sb, b, r);
        }
        for (int k = 0; k < _edges.Count; k++)
        {
            var e = _edges[k];
            if (e.Label is null || _layout.Edges[k].Label is not { } r) continue;
            // Each label sits on a white card, so the edges that pass behind it do not cross its text; a clipped
            // label keeps its whole text in a tooltip (a title beside the text, where renderers do not draw it).
            string shown = Clip(e.Label, 30);
            string cls = e.Kind == "partial" ? "partial" + _hidden : e.Kind == "carry" ? "role carry" : "role";
            sb.Append(Invariant($"<g id=\"{_prefix}p{e.Id}\" class=\"{cls}\">"));
            if (shown != e.Label) sb.Append($"<title>{Xml(e.Label)}</title>");
            sb.Append(Invariant($"<rect x=\"{r.X:0.#}\" y=\"{r.Y:0.#}\" width=\"{r.Width:0.#}\" height=\"{r.Height:0.#}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>"));
            string color = e.Kind == "partial" ? Palette.Partial : Palette.Detail;
            sb.Append(Invariant($"<text x=\"{r.CenterX:0.#}\" y=\"{r.CenterY + PartialSize * 0.36:0.#}\" text-anchor=\"middle\" font-size=\"{PartialSize}\" fill=\"{color}\">{Xml(shown)}</text></g>\n"));
        }
    }

    /// <summary>The frame of a control-flow node, its header box, and each section framed below it with its title.</summary>
    private void DrawCluster(StringBuilder sb, Box b, Rect r)
    {
        var n = b.Node!;
        sb.Append(Invariant($"<g class=\"cluster\" id=\"{_prefix}cluster{n.Id}\" data-name=\"{Xml(n.Name)}\"><title>{Xml(Explainer.Describe(_a, n))}</title>"));
        sb.Append(Invariant($"<rect class=\"frame\" x=\"{r.X:0.#}\" y=\"{r.Y:0.#}\" width=\"{r.Width:0.#}\" height=\"{r.Height:0.#}\" rx=\"10\" fill=\"{Palette.Collapsed}\" stroke=\"{Palette.Detail}\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/></g>\n"));
        var (headerWidth, headerHeight) = BoxSize(b, _values, _gradients);
        double innerWidth = r.Width - 2 * ClusterPadding;
        var header = new Rect(r.X + ClusterPadding + (innerWidth - headerWidth) / 2, r.Y + ClusterPadding, headerWidth, headerHeight);
        WriteBox(sb, _a, n, null, b.Lines, header, _hidden, _prefix, Explainer.Describe(_a, n));
        double y = header.Bottom + SectionGap;
        foreach (var s in b.Sections)
        {
            var frame = new Rect(r.X + ClusterPadding, y, innerWidth, SectionTitleHeight + s.Height);
            sb.Append(Invariant($"<g class=\"section\"><rect x=\"{frame.X:0.#}\" y=\"{frame.Y:0.#}\" width=\"{frame.Width:0.#}\" height=\"{frame.Height:0.#}\" rx=\"8\" fill=\"#ffffff\" stroke=\"#afb8c1\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>"));
            sb.Append(Invariant($"<text class=\"cluster-title\" x=\"{frame.X + Padding:0.#}\" y=\"{frame.Y + 15:0.#}\" font-size=\"{DetailSize}\" fill=\"{Palette.Detail}\">{Xml(s._title ?? "")}</text></g>\n"));
            sb.Append(Invariant($"<g transform=\"translate({frame.X + (innerWidth - s.Width) / 2:0.#},{frame.Y + SectionTitleHeight:0.#})\">\n"));
            s.Draw(sb);
            sb.Append("</g>\n");
            y = frame.Bottom + SectionGap;
        }
    }
}
