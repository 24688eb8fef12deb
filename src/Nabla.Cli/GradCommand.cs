using System.CommandLine;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla grad "&lt;expr&gt;" a=3 ...</c>: every intermediate value and the gradient of the expression with respect
/// to every variable and intermediate (reverse mode), and the pictures asked for with --dot/--svg/--png/--html.
/// </summary>
internal sealed class GradCommand : NablaCommand
{
    private static readonly string[] PictureFormats = ["dot", "svg", "png", "html"];
    private static readonly string[] Layouts = ["managed", "graphviz"];

    public override Command Create()
    {
        var arguments = new ExpressionArguments();
        var pictures = PictureFormats.Select(format => new Option<string?>("--" + format)
        {
            Description = format == "html"
                ? "write the interactive HTML page of the graph to FILE"
                : $"write the picture of the graph as {format.ToUpperInvariant()} to FILE",
            HelpName = "FILE",
        }).ToArray();
        var command = new Command("grad", "Every intermediate value and the gradient of the expression with respect to every variable and intermediate (reverse mode); pictures on request.")
        {
            arguments.Expression, arguments.Values,
        };
        foreach (var option in pictures) command.Add(option);
        var layout = CliOptions.Choice("--layout", "who lays out --svg and --png: the built-in managed layout, or Graphviz's dot (which must be installed)", "managed", Layouts);
        command.Add(layout);
        return Handle(command, (parse, io) =>
        {
            var (expression, feeds) = arguments.Read(parse, "grad");
            var files = PictureFormats.Zip(pictures, (format, option) => (format, path: parse.GetValue(option)))
                .Where(p => p.path is not null).Select(p => (p.format, p.path!)).ToList();
            var engine = parse.GetValue(layout) == "graphviz" ? PictureLayout.Graphviz : PictureLayout.Managed;
            return Run(expression, feeds, files, engine, io.Output, io.Error);
        });
    }

    private static int Run(Expression ex, Feeds feeds, List<(string Format, string Path)> pictures, PictureLayout layout, TextWriter output, TextWriter error)
    {
        var graph = ex.Graph;
        var nodes = ex.Variables.Concat(ex.Intermediates).ToArray();
        using var session = new Session(graph);
        var values = session.Run(nodes, feeds);
        var grads = graph.Gradients(ex.Output, nodes);
        var gradValues = session.Run(grads.Select(g => g ?? graph.Scalar(0, DType.Float64)).ToArray(), feeds);
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

        if (pictures.Count == 0) return 0;
        var renderer = new GraphRenderer(graph, new RenderOptions { Session = session, Feeds = feeds, Output = ex.Output, Layout = layout });
        int code = 0;
        foreach (var (format, path) in pictures)
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
