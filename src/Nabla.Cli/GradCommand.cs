using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla grad "&lt;expr&gt;" a=3 ...</c>: every intermediate value and the gradient of the expression with respect
/// to every variable and intermediate (reverse mode), and the pictures asked for with --dot/--svg/--png/--html.
/// </summary>
internal static class GradCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parsed = ExpressionArguments.Parse("grad", args, allowPictures: true);
        var ex = parsed.Expression;
        var graph = ex.Graph;
        var nodes = ex.Variables.Concat(ex.Intermediates).ToArray();
        using var session = new Session(graph);
        var values = session.Run(nodes, parsed.Feeds);
        var grads = graph.Gradients(ex.Output, nodes);
        var gradValues = session.Run(grads.Select(g => g ?? graph.Scalar(0, DType.Float64)).ToArray(), parsed.Feeds);
        string g = ex.Output.Name;

        output.WriteLine($"{g} = {ex.Text}");
        output.WriteLine();
        output.WriteLine("values (forward pass):");
        for (int i = 0; i < nodes.Length; i++)
        {
            string definition = ex.Definitions.TryGetValue(nodes[i], out var d) ? $" = {d}" : "";
            output.WriteLine($"  {nodes[i].Name}{definition} = {values[i].FormatValues(GraphRenderer.NumberFormat)}");
        }
        output.WriteLine();
        output.WriteLine($"gradients of {g} (reverse mode, one backward sweep):");
        for (int i = 0; i < nodes.Length; i++)
            output.WriteLine($"  d{g}/d{nodes[i].Name} = {gradValues[i].FormatValues(GraphRenderer.NumberFormat)}");

        if (parsed.Pictures.Count == 0) return 0;
        var renderer = new GraphRenderer(graph, new RenderOptions { Session = session, Feeds = parsed.Feeds, Output = ex.Output });
        int code = 0;
        foreach (var (format, path) in parsed.Pictures)
        {
            try
            {
                renderer.Save(path, format);
                output.WriteLine($"wrote {path}");
            }
            catch (GraphvizException e)
            {
                error.WriteLine($"nabla grad: {e.Message}");
                code = 1;
            }
        }
        return code;
    }
}
