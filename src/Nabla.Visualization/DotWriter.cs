using System.Text;

namespace Nabla.Visualization;

/// <summary>
/// Writes the Graphviz DOT text of annotated nodes: one box per node (name, op, shape, value in green,
/// gradient in red), name scopes as clusters, collapsed scopes as one box, edges labelled with ∂consumer/∂input.
/// </summary>
internal static class DotWriter
{
    private sealed record Box(string Id, string Scope, string Attributes, ControlFlowScene? Scene = null);

    public static string Write(Annotations a)
    {
        var collapsed = a.Options.CollapsedScopes.Select(s => s.Trim('/')).Where(s => s.Length > 0).OrderBy(s => s.Length).ToArray();
        var boxOf = new Dictionary<Node, string>();
        var boxes = new Dictionary<string, Box>();
        var scenes = new Dictionary<Node, ControlFlowScene>();
        var hidden = new Dictionary<string, int>();
        foreach (var n in a.Nodes)
        {
            string scope = ScopeOf(n.Name);
            string? folded = collapsed.FirstOrDefault(c => scope == c || scope.StartsWith(c + "/", StringComparison.Ordinal));
            if (folded is null)
            {
                boxOf[n] = $"n{n.Id}";
                var scene = ControlFlowScene.Of(a, n);
                if (scene is not null) scenes[n] = scene;
                boxes[boxOf[n]] = new Box(boxOf[n], scope, NodeAttributes(a, n, scene?.Summary), scene);
            }
            else
            {
                boxOf[n] = "scope_" + Sanitize(folded);
                hidden[folded] = hidden.GetValueOrDefault(folded) + 1;
            }
        }
        foreach (var (scope, count) in hidden)
        {
            string id = "scope_" + Sanitize(scope);
            string label = $"<<B>{Escape(scope)}</B><BR/><FONT POINT-SIZE=\"9\" COLOR=\"{Palette.Detail}\">{count} nodes (collapsed)</FONT>>";
            boxes[id] = new Box(id, ScopeOf(scope), $"label={label}, shape=box3d, fillcolor=\"{Palette.Collapsed}\"");
        }

        var sb = new StringBuilder();
        sb.AppendLine("digraph nabla {");
        sb.AppendLine("  rankdir=LR; ordering=in;");
        sb.AppendLine("  graph [fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.6, pad=0.15];");
        sb.AppendLine("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, margin=\"0.15,0.06\"];");
        sb.AppendLine($"  edge [fontname=\"Helvetica\", fontsize=10, color=\"#6e7781\", fontcolor=\"{Palette.Partial}\"];");
        WriteScope(sb, a, "", boxes.Values.ToList(), 1);

        var written = new HashSet<(string, string)>();
        foreach (var n in a.Nodes)
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                var input = n.Inputs[i];
                int? result = ControlFlowInfo.ResultIndex(n);
                // A Result node reads its control-flow node's inputs only for their shapes.
                if (result is not null && i > 0) break;
                if (!boxOf.TryGetValue(input, out var from)) continue;
                string to = boxOf[n];
                bool detailed = from == $"n{input.Id}" && to == $"n{n.Id}";
                if (from == to && !detailed) continue;
                if (!detailed && !written.Add((from, to))) continue;
                if (detailed && scenes.TryGetValue(n, out var scene))
                {
                    foreach (var (target, role) in DotClusters.Targets(scene, to, "", i))
                        sb.AppendLine($"  {from} -> {target} [label=<{Escape(role)}>, fontcolor=\"{Palette.Detail}\"];");
                    continue;
                }
                if (detailed && result is { } r && input.ControlFlow is { } info)
                {
                    sb.AppendLine($"  {from} -> {to} [label=<{Escape(info.NodeResultRoles[r])}>, fontcolor=\"{Palette.Detail}\"];");
                    continue;
                }
                string label = detailed && a.Partials.TryGetValue((n, i), out var p)
                    ? $" [label=<{Escape(PictureText.Partial(a, n, i, p))}>]"
                    : "";
                sb.AppendLine($"  {from} -> {to}{label};");
            }
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static void WriteScope(StringBuilder sb, Annotations a, string scope, List<Box> boxes, int depth)
    {
        string indent = new(' ', 2 * depth);
        foreach (var box in boxes.Where(b => b.Scope == scope))
            if (box.Scene is { } scene) DotClusters.Write(sb, a, scene, box.Id, box.Attributes, "", indent);
            else sb.AppendLine($"{indent}{box.Id} [{box.Attributes}];");
        var children = boxes.Select(b => b.Scope)
            .Where(s => scope.Length == 0 ? s.Length > 0 : s.StartsWith(scope + "/", StringComparison.Ordinal))
            .Select(s => s[..(s.IndexOf('/', scope.Length == 0 ? 0 : scope.Length + 1) is var k and >= 0 ? k : s.Length)])
            .Distinct().Order(StringComparer.Ordinal);
        foreach (var child in children)
        {
            sb.AppendLine($"{indent}subgraph \"cluster_{Sanitize(child)}\" {{");
            sb.AppendLine($"{indent}  label=\"{EscapeQuoted(child[(child.LastIndexOf('/') + 1)..])}\"; style=\"rounded,dashed\"; color=\"#8c959f\"; fontcolor=\"{Palette.Detail}\";");
            WriteScope(sb, a, child, boxes, depth + 1);
            sb.AppendLine($"{indent}}}");
        }
    }

    /// <summary>A node's box: name, op and shape (or <paramref name="summary"/> for a control-flow node), value and gradient, coloured by kind.</summary>
    public static string NodeAttributes(Annotations a, Node n, string? summary = null)
    {
        var label = new StringBuilder();
        label.Append($"<B>{Escape(Annotations.ShortName(n))}</B>");
        string shape = a.Values.TryGetValue(n, out var v) ? v.Shape.ToString() : n.Shape.ToString();
        string op = n.Op.Attributes.Length > 0 && !a.Values.ContainsKey(n) ? $"{n.OpType} {n.Op.Attributes}" : n.OpType;
        string detail = summary ?? $"{op} {shape}";
        label.Append($"<BR/><FONT POINT-SIZE=\"9\" COLOR=\"{Palette.Detail}\">{Escape(detail)}</FONT>");
        if (a.ValueText(n) is { } value)
            label.Append($"<BR/><FONT COLOR=\"{Palette.Value}\">{Escape(value)}</FONT>");
        if (a.GradientText(n) is { } grad && a.Output is not null)
            label.Append($"<BR/><FONT COLOR=\"{Palette.Gradient}\">{Escape(PictureText.Gradient(a, n, grad))}</FONT>");
        string fill = n.Op.SourceKind switch
        {
            SourceKind.Placeholder => Palette.Placeholder,
            SourceKind.Constant => Palette.Constant,
            SourceKind.Variable => Palette.Variable,
            _ => Palette.Op,
        };
        string shapeAttr = n.Op.SourceKind is SourceKind.Placeholder or SourceKind.Variable ? ", shape=box, style=\"filled\""
            : n.Op.SourceKind == SourceKind.Constant ? ", style=\"rounded,filled,dashed\"" : "";
        string pen = n == a.Output ? ", penwidth=2" : "";
        return $"label=<{label}>, fillcolor=\"{fill}\"{shapeAttr}{pen}";
    }

    private static string ScopeOf(string name) => name.LastIndexOf('/') is var k and >= 0 ? name[..k] : "";

    private static string Sanitize(string s) => string.Concat(s.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    /// <summary>Escapes text inside a Graphviz HTML-like label.</summary>
    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string EscapeQuoted(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
