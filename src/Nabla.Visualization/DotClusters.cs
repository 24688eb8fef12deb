using System.Text;

namespace Nabla.Visualization;

/// <summary>
/// Writes a control-flow node as Graphviz clusters: <c>subgraph cluster_cf…</c> labelled with what it does, holding
/// the node's own box and one cluster per function it runs (nested constructs nest further). Edges from outer nodes
/// go to the parameters that stand for them inside, labelled with what they feed; each function's results go to the
/// node's box labelled with what they are, and each next carry goes back to its parameter as a dashed edge.
/// </summary>
internal static class DotClusters
{
    /// <summary>
    /// The cluster of <paramref name="scene"/>'s node, whose own box has id <paramref name="id"/> and attributes
    /// <paramref name="attributes"/>; ids inside start with <paramref name="prefix"/>.
    /// </summary>
    public static void Write(StringBuilder sb, Annotations a, ControlFlowScene scene, string id, string attributes, string prefix, string indent)
    {
        var n = scene.Node;
        string summary = $"<<B>{DotWriter.Escape(a.Label(n))}</B><BR/><FONT POINT-SIZE=\"9\">{DotWriter.Escape(scene.Summary)}</FONT>>";
        sb.AppendLine($"{indent}subgraph \"cluster_{prefix}cf{n.Id}\" {{");
        sb.AppendLine($"{indent}  label={summary}; tooltip=\"{Quoted(ControlFlowText.Describe(a, n))}\"; style=\"rounded,dashed,filled\"; fillcolor=\"{Palette.Collapsed}\"; color=\"#8c959f\"; fontcolor=\"{Palette.Detail}\";");
        sb.AppendLine($"{indent}  {id} [{attributes}];");
        for (int k = 0; k < scene.Sections.Count; k++)
        {
            var section = scene.Sections[k];
            string inner = $"{prefix}c{n.Id}s{k}_";
            sb.AppendLine($"{indent}  subgraph \"cluster_{inner}\" {{");
            sb.AppendLine($"{indent}    label=\"{Quoted(section.Title)}\"; style=\"rounded,dashed,filled\"; fillcolor=\"#ffffff\"; color=\"#afb8c1\"; fontsize=9;");
            WriteSection(sb, a, section, inner, indent + "    ");
            sb.AppendLine($"{indent}  }}");
        }
        sb.AppendLine($"{indent}}}");
        for (int k = 0; k < scene.Sections.Count; k++)
        {
            string inner = $"{prefix}c{n.Id}s{k}_";
            foreach (var (r, role) in scene.Sections[k].Results)
                sb.AppendLine($"{indent}{inner}n{r.Id} -> {id} [label=<{DotWriter.Escape(role)}>, style=dotted, fontcolor=\"{Palette.Detail}\"];");
        }
    }

    /// <summary>The edges into a control-flow node's input <paramref name="input"/>: to each parameter that stands for it inside, else to the node's box.</summary>
    public static IEnumerable<(string Target, string Label)> Targets(ControlFlowScene scene, string id, string prefix, int input)
    {
        string label = scene.InputRole(input);
        var info = scene.Info;
        int parameter = input - info.FirstArgument;
        bool any = false;
        for (int k = 0; parameter >= 0 && k < scene.Sections.Count; k++)
        {
            var p = info.Functions[k].Body.Parameters[parameter];
            if (!scene.Sections[k].Nodes.Contains(p)) continue;
            any = true;
            yield return ($"{prefix}c{scene.Node.Id}s{k}_n{p.Id}", label);
        }
        if (!any) yield return (id, label);
    }

    private static void WriteSection(StringBuilder sb, Annotations a, BodySection section, string prefix, string indent)
    {
        var drawn = section.Nodes.ToHashSet();
        var scenes = new Dictionary<Node, ControlFlowScene>();
        foreach (var n in section.Nodes)
        {
            if (ControlFlowScene.Of(a, n) is { } scene) { scenes[n] = scene; Write(sb, a, scene, $"{prefix}n{n.Id}", DotWriter.NodeAttributes(a, n, scene.Summary), prefix, indent); }
            else sb.AppendLine($"{indent}{prefix}n{n.Id} [{DotWriter.NodeAttributes(a, n)}];");
        }
        foreach (var n in section.Nodes)
        {
            int? result = ControlFlowInfo.ResultIndex(n);
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                if (result is not null && i > 0) break;
                if (!drawn.Contains(n.Inputs[i])) continue;
                string from = $"{prefix}n{n.Inputs[i].Id}";
                if (scenes.TryGetValue(n, out var scene))
                    foreach (var (target, label) in Targets(scene, $"{prefix}n{n.Id}", prefix, i))
                        sb.AppendLine($"{indent}{from} -> {target} [label=<{DotWriter.Escape(label)}>, fontcolor=\"{Palette.Detail}\"];");
                else if (result is { } r && n.Inputs[0].ControlFlow is { } info)
                    sb.AppendLine($"{indent}{from} -> {prefix}n{n.Id} [label=<{DotWriter.Escape(info.NodeResultRoles[r])}>, fontcolor=\"{Palette.Detail}\"];");
                else
                    sb.AppendLine($"{indent}{from} -> {prefix}n{n.Id};");
            }
        }
        foreach (var (from, to, role) in section.Carries)
            sb.AppendLine($"{indent}{prefix}n{from.Id} -> {prefix}n{to.Id} [label=<{DotWriter.Escape("carried to " + role["next ".Length..])}>, style=dashed, constraint=false, fontcolor=\"{Palette.Detail}\"];");
    }

    private static string Quoted(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
