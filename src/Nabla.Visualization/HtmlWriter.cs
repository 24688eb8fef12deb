using System.Net;
using System.Text;
using System.Text.Json;

namespace Nabla.Visualization;

/// <summary>
/// Writes the interactive page: the graph in inline SVG (<see cref="SvgWriter"/>, so Graphviz is not needed),
/// and a script that steps through the forward pass node by node, then the reverse pass. The element
/// #step-info holds the current step's sentence, with data-node, data-phase and data-number attributes.
/// Opening the page with #step-N in the address starts at step N.
/// </summary>
internal static class HtmlWriter
{
    private sealed record Step(string Phase, string Node, string Text, string Number, string[] Reveal, string[] Highlight);

    public static string Write(Annotations a)
    {
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
            .node.current .box {"{"} stroke: #bf8700; stroke-width: 4; {"}"}
            .edge.active .line {"{"} stroke: #bf8700; stroke-width: 2.6; {"}"}
            .edge.active .head {"{"} fill: #bf8700; {"}"}
            .partial.active text {"{"} font-weight: bold; {"}"}
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
        sb.Append(SvgWriter.Write(a, interactive: true));
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

    private static string Xml(string s) => WebUtility.HtmlEncode(s);
}
