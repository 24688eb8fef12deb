using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Nabla.Visualization;

/// <summary>
/// Writes the interactive page: the graph in inline SVG (own layered layout, so Graphviz is not needed),
/// and a script that steps through the forward pass node by node, then the reverse pass. The element
/// #step-info holds the current step's sentence, with data-node, data-phase and data-number attributes.
/// Opening the page with #step-N in the address starts at step N.
/// </summary>
internal static class HtmlWriter
{
    private sealed record Step(string Phase, string Node, string Text, string Number, string[] Reveal, string[] Highlight);

    public static string Write(Annotations a)
    {
        var layout = new LayeredLayout(a.Nodes);
        var steps = Steps(a);
        string title = a.Output is { } o ? $"Backpropagation through {a.Label(o)}" : "Nabla graph";
        var sb = new StringBuilder();
        sb.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{Xml(title)}</title>
            <style>
            body {"{"} font-family: Helvetica, Arial, sans-serif; margin: 16px; color: #1f2328; {"}"}
            #controls {"{"} display: flex; gap: 8px; align-items: center; margin-bottom: 8px; {"}"}
            button {"{"} font-size: 15px; padding: 4px 14px; {"}"}
            #step-info {"{"} font-size: 18px; min-height: 1.5em; padding: 6px 10px; background: #f6f8fa; border-radius: 6px; {"}"}
            #step-info[data-phase=reverse] {"{"} color: {Palette.Gradient}; {"}"}
            #step-info[data-phase=forward] {"{"} color: {Palette.Value}; {"}"}
            .box {"{"} fill: {Palette.Op}; stroke: #57606a; stroke-width: 1.2; {"}"}
            .node.placeholder .box {"{"} fill: {Palette.Placeholder}; {"}"}
            .node.constant .box {"{"} fill: {Palette.Constant}; stroke-dasharray: 4 3; {"}"}
            .node.variable .box {"{"} fill: {Palette.Variable}; {"}"}
            .node.current .box {"{"} stroke: #bf8700; stroke-width: 4; {"}"}
            .name {"{"} font-weight: bold; font-size: 14px; {"}"}
            .detail {"{"} fill: {Palette.Detail}; font-size: 11px; {"}"}
            .value {"{"} fill: {Palette.Value}; font-size: 13px; {"}"}
            .grad {"{"} fill: {Palette.Gradient}; font-size: 13px; {"}"}
            .edge {"{"} fill: none; stroke: #8c959f; stroke-width: 1.4; {"}"}
            .partial {"{"} fill: {Palette.Partial}; font-size: 11px; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; {"}"}
            .edge.active {"{"} stroke: #bf8700; stroke-width: 2.6; {"}"}
            .partial.active {"{"} font-weight: bold; font-size: 13px; {"}"}
            .hidden {"{"} visibility: hidden; {"}"}
            </style>
            </head>
            <body>
            <h2>{Xml(title)}</h2>
            <div id="controls">
            <button id="back" type="button">&#9664; Back</button>
            <button id="next" type="button">Next &#9654;</button>
            <span id="step-counter"></span>
            </div>
            <p id="step-info" data-phase="" data-node="" data-number=""></p>

            """);
        WriteSvg(sb, a, layout);
        sb.Append("<script>\nconst steps = ");
        sb.Append(JsonSerializer.Serialize(steps, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        sb.Append(";\n");
        sb.Append(Script);
        sb.Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static List<Step> Steps(Annotations a)
    {
        var steps = new List<Step>();
        foreach (var n in a.Nodes.Where(a.Values.ContainsKey))
        {
            var reveal = new List<string> { $"v{n.Id}" };
            var highlight = new List<string>();
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                if (a.Partials.ContainsKey((n, i))) reveal.Add($"p{n.Id}_{i}");
                if (a.Consumers.ContainsKey(n.Inputs[i])) highlight.Add($"e{n.Id}_{i}");
            }
            steps.Add(new Step("forward", a.Label(n), ChainRule.Forward(a, n), a.ValueText(n)!, reveal.ToArray(), highlight.ToArray()));
        }
        foreach (var n in a.Nodes.Reverse().Where(a.Gradients.ContainsKey))
        {
            var edges = ChainRule.Edges(a, n).SelectMany(e => new[] { $"e{e.Consumer.Id}_{e.Input}", $"p{e.Consumer.Id}_{e.Input}" });
            steps.Add(new Step("reverse", a.Label(n), ChainRule.Backward(a, n), a.GradientText(n)!, [$"g{n.Id}"], edges.ToArray()));
        }
        return steps;
    }

    private static void WriteSvg(StringBuilder sb, Annotations a, LayeredLayout layout)
    {
        const double w = LayeredLayout.Width, h = LayeredLayout.Height;
        sb.Append(Invariant($"<svg id=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.CanvasWidth:0}\" height=\"{layout.CanvasHeight:0}\" viewBox=\"0 0 {layout.CanvasWidth:0} {layout.CanvasHeight:0}\">\n"));
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8c959f\"/></marker></defs>\n");
        var labels = new StringBuilder();
        foreach (var n in a.Nodes)
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                if (!layout.Positions.TryGetValue(n.Inputs[i], out var from)) continue;
                var to = layout.Positions[n];
                double x0 = from.X + w, y0 = from.Y + h / 2, x3 = to.X, y3 = to.Y + h / 2 + (i - (n.Inputs.Count - 1) / 2.0) * 14;
                double dx = Math.Max(30, (x3 - x0) / 2), y1 = y0, y2 = y3;
                // An edge that skips columns arcs over the boxes between instead of running behind them.
                if (x3 - x0 > LayeredLayout.GapX + 1) y1 = y2 = Math.Min(from.Y, to.Y) - LayeredLayout.GapY;
                sb.Append(Invariant($"<path id=\"e{n.Id}_{i}\" class=\"edge\" d=\"M{x0:0.#},{y0:0.#} C{x0 + dx:0.#},{y1:0.#} {x3 - dx:0.#},{y2:0.#} {x3:0.#},{y3:0.#}\" marker-end=\"url(#arrow)\"/>\n"));
                if (a.Partials.TryGetValue((n, i), out var p))
                {
                    double mx = (x0 + 3 * (x0 + dx) + 3 * (x3 - dx) + x3) / 8, my = (y0 + 3 * y1 + 3 * y2 + y3) / 8 - 4;
                    string text = $"∂{a.Label(n)}/∂{a.Label(n.Inputs[i])} = {ValueFormat.Tensor(p, a.Options.MaxValues)}";
                    labels.Append(Invariant($"<text id=\"p{n.Id}_{i}\" class=\"partial hidden\" x=\"{mx:0.#}\" y=\"{my:0.#}\" text-anchor=\"middle\">{Xml(Clip(text, 30))}<title>{Xml(text)}</title></text>\n"));
                }
            }
        foreach (var n in a.Nodes)
        {
            var (x, y) = layout.Positions[n];
            string kind = n.Op.SourceKind switch { SourceKind.Placeholder => "placeholder", SourceKind.Constant => "constant", SourceKind.Variable => "variable", _ => "op" };
            string shape = a.Values.TryGetValue(n, out var v) ? v.Shape.ToString() : n.Shape.ToString();
            sb.Append(Invariant($"<g class=\"node {kind}\" id=\"node{n.Id}\" data-name=\"{Xml(n.Name)}\">"));
            sb.Append(Invariant($"<title>{Xml(n.Name)}: {Xml(n.OpType)} {Xml(shape)}</title>"));
            sb.Append(Invariant($"<rect class=\"box\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{w}\" height=\"{h}\" rx=\"8\"/>"));
            double cx = x + w / 2;
            sb.Append(Invariant($"<text class=\"name\" x=\"{cx:0.#}\" y=\"{y + 18:0.#}\" text-anchor=\"middle\">{Xml(Clip(a.Label(n), 22))}</text>"));
            sb.Append(Invariant($"<text class=\"detail\" x=\"{cx:0.#}\" y=\"{y + 34:0.#}\" text-anchor=\"middle\">{Xml(Clip($"{n.OpType} {shape}", 28))}</text>"));
            if (a.ValueText(n) is { } value)
                sb.Append(Invariant($"<text id=\"v{n.Id}\" class=\"value hidden\" x=\"{cx:0.#}\" y=\"{y + 54:0.#}\" text-anchor=\"middle\">{Xml(Clip(value, 26))}</text>"));
            if (a.GradientText(n) is { } grad && a.Output is { } output)
                sb.Append(Invariant($"<text id=\"g{n.Id}\" class=\"grad hidden\" x=\"{cx:0.#}\" y=\"{y + 73:0.#}\" text-anchor=\"middle\">{Xml(Clip($"∂{a.Label(output)}/∂{a.Label(n)} = {grad}", 26))}</text>"));
            sb.Append("</g>\n");
        }
        sb.Append(labels);
        sb.Append("</svg>\n");
    }

    private const string Script = """
        let current = -1;
        const info = document.getElementById('step-info');
        const counter = document.getElementById('step-counter');
        function render() {
          document.querySelectorAll('.value, .grad, .partial').forEach(e => e.classList.add('hidden'));
          document.querySelectorAll('.current, .active').forEach(e => e.classList.remove('current', 'active'));
          for (let k = 0; k <= current; k++)
            for (const id of steps[k].reveal) document.getElementById(id).classList.remove('hidden');
          if (current < 0) {
            info.textContent = steps.length ? 'Press Next (or the right arrow key) to start the forward pass.' : 'No values to show: render with a session and feeds.';
            info.dataset.phase = ''; info.dataset.node = ''; info.dataset.number = '';
          } else {
            const s = steps[current];
            info.textContent = s.text;
            info.dataset.phase = s.phase; info.dataset.node = s.node; info.dataset.number = s.number;
            const g = document.getElementById(s.reveal[0]).closest('.node');
            if (g) g.classList.add('current');
            for (const id of s.highlight) document.getElementById(id).classList.add('active');
          }
          const phase = current < 0 ? '' : (steps[current].phase === 'forward' ? ' (forward pass)' : ' (reverse pass)');
          counter.textContent = 'Step ' + (current + 1) + ' of ' + steps.length + phase;
          document.getElementById('back').disabled = current < 0;
          document.getElementById('next').disabled = current >= steps.length - 1;
        }
        function go(delta) { current = Math.max(-1, Math.min(steps.length - 1, current + delta)); render(); }
        const start = location.hash.match(/^#step-(\d+)$/);
        if (start) current = Math.min(steps.length, Number(start[1])) - 1;
        document.getElementById('next').addEventListener('click', () => go(1));
        document.getElementById('back').addEventListener('click', () => go(-1));
        document.addEventListener('keydown', e => {
          if (e.key === 'ArrowRight') { go(1); e.preventDefault(); }
          if (e.key === 'ArrowLeft') { go(-1); e.preventDefault(); }
        });
        render();

        """;

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Xml(string s) => WebUtility.HtmlEncode(s);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
