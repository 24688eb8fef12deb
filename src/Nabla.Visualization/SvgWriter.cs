using System.Globalization;
using System.Net;
using System.Text;

namespace Nabla.Visualization;

/// <summary>
/// Draws annotated nodes as SVG with the managed <see cref="GraphLayout"/>: one box per node (name, op and shape,
/// value in green, gradient in red), edges labelled with their local partial derivatives, and each control-flow node
/// as a cluster holding its functions' nodes (<see cref="SvgLevel"/>). Colours are presentation attributes, so the SVG
/// stands alone; the HTML page adds classes' rules for its steps. Element ids: node{id} for a node's group, v{id} and
/// g{id} for its value and gradient, e{id}_{i} and p{id}_{i} for the edge into input i of node id and its label (a
/// group: a white card and the text); inside a cluster the same ids carry the prefix c{id}s{k}_ of its section k.
/// </summary>
internal static class SvgWriter
{
    public const double NameSize = 14, DetailSize = 11, ValueSize = 13, PartialSize = 11, Padding = 10;
    public const double MinBoxWidth = 90, LabelPadding = 4, LabelHeight = 15;
    public const string FontFamily = "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";

    /// <summary>
    /// The SVG of the picture; <paramref name="interactive"/> hides values, gradients and partials (class "hidden")
    /// for the HTML page to reveal step by step, and draws every node (collapsed scopes are for still pictures).
    /// </summary>
    public static string Write(Annotations a, bool interactive)
    {
        var level = SvgLevel.Build(a, a.Nodes, interactive, prefix: "");
        var sb = new StringBuilder();
        sb.Append(Invariant($"<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{level.Width:0}\" height=\"{level.Height:0}\" viewBox=\"0 0 {level.Width:0} {level.Height:0}\" font-family=\"{FontFamily}\">\n"));
        if (!interactive)
            sb.Append(Invariant($"<rect width=\"{level.Width:0}\" height=\"{level.Height:0}\" fill=\"#ffffff\"/>\n"));
        level.Draw(sb);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>One line of text in a box: its class (name, detail, role, value, grad), text, font size, colour and element id.</summary>
    public sealed record Line(string Class, string Text, double Size, string Color, string? Id);

    /// <summary>The lines of text a node's box shows, each clipped to a length that keeps boxes readable; <paramref name="role"/> says what it is to its construct.</summary>
    public static List<Line> Lines(Annotations a, Node n, string? summary = null, string? role = null)
    {
        var lines = new List<Line>
        {
            new("name", Clip(a.Label(n), 22), NameSize, "#1f2328", null),
            summary is null
                ? new("detail", Clip($"{n.OpType} {ShapeOf(a, n)}", 28), DetailSize, Palette.Detail, null)
                : new("detail", Clip(summary, 48), DetailSize, Palette.Detail, null),
        };
        if (role is not null) lines.Add(new("role", Clip(role, 30), DetailSize, Palette.Partial, null));
        if (a.ValueText(n) is { } value) lines.Add(new("value", Clip(value, 26), ValueSize, Palette.Value, $"v{n.Id}"));
        if (a.Output is { } && a.GradientText(n) is { } grad) lines.Add(new("grad", Clip(PictureText.Gradient(a, n, grad), 26), ValueSize, Palette.Gradient, $"g{n.Id}"));
        return lines;
    }

    /// <summary>How wide a box of these lines is.</summary>
    public static double Width(IEnumerable<Line> lines) => Math.Max(MinBoxWidth, lines.Max(l => TextWidth.Of(l.Text, l.Size)) + 2 * Padding);

    private static double Advance(Line line) => line.Class == "name" ? 19 : line.Class is "detail" or "role" ? 16 : 20;

    /// <summary>
    /// One box: a node (kind from its op) or, with a null node, a collapsed scope. <paramref name="hidden"/> is " hidden"
    /// on the HTML page, whose steps reveal values and gradients; <paramref name="prefix"/> keeps ids unique in clusters.
    /// </summary>
    public static void WriteBox(StringBuilder sb, Annotations a, Node? n, string? scope, List<Line> lines, Rect r, string hidden, string prefix, string title)
    {
        string kind = n?.Op.SourceKind switch { null => "collapsed", SourceKind.Placeholder => "placeholder", SourceKind.Constant => "constant", SourceKind.Variable => "variable", _ => "op" };
        string fill = kind switch
        {
            "placeholder" => Palette.Placeholder, "constant" => Palette.Constant, "variable" => Palette.Variable,
            "collapsed" => Palette.Collapsed, _ => Palette.Op,
        };
        string dash = kind == "constant" ? " stroke-dasharray=\"4 3\"" : "";
        double stroke = n is not null && n == a.Output ? 2.4 : 1.2;
        string name = n?.Name ?? scope!;
        sb.Append(Invariant($"<g class=\"node {kind}\" id=\"{(n is null ? "scope_" + Xml(scope!) : $"{prefix}node{n.Id}")}\" data-name=\"{Xml(name)}\">"));
        sb.Append($"<title>{Xml(title)}</title>");
        sb.Append(Invariant($"<rect class=\"box\" x=\"{r.X:0.#}\" y=\"{r.Y:0.#}\" width=\"{r.Width:0.#}\" height=\"{r.Height:0.#}\" rx=\"8\" fill=\"{fill}\" stroke=\"{Palette.Detail}\" stroke-width=\"{stroke}\"{dash}/>"));
        double y = r.Y;
        foreach (var line in lines)
        {
            y += Advance(line);
            string id = line.Id is null ? "" : $" id=\"{prefix}{line.Id}\"";
            string cls = line.Id is null ? line.Class : line.Class + hidden;
            string weight = line.Class == "name" ? " font-weight=\"bold\"" : "";
            sb.Append(Invariant($"<text{id} class=\"{cls}\" x=\"{r.CenterX:0.#}\" y=\"{y:0.#}\" text-anchor=\"middle\" font-size=\"{line.Size}\" fill=\"{line.Color}\"{weight}>{Xml(line.Text)}</text>"));
        }
        sb.Append("</g>\n");
    }

    /// <summary>The shape of the node's value when it was run, else the shape known when it was built.</summary>
    public static Shape ShapeOf(Annotations a, Node n) => a.Values.TryGetValue(n, out var v) ? v.Shape : n.Shape;

    public static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    public static string Xml(string s) => WebUtility.HtmlEncode(s);

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
