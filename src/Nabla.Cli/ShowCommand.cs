using System.CommandLine;
using Nabla.Onnx;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary><c>nabla show</c>: imports an ONNX model and draws its graph (DOT, SVG, PNG or HTML by the file's extension).</summary>
internal sealed class ShowCommand : NablaCommand
{
    public override Command Create()
    {
        var onnx = new Option<string>("--onnx") { Description = "the ONNX model to import", HelpName = "FILE", Required = true };
        var svg = new Option<string?>("--svg") { Description = "write the picture as SVG (needs Graphviz)", HelpName = "OUT" };
        var dot = new Option<string?>("--dot") { Description = "write the graph as DOT", HelpName = "OUT" };
        var command = new Command("show", "Import an ONNX model and draw its graph.") { onnx, svg, dot };
        return Handle(command, (parse, io) => Run(parse.GetValue(onnx)!, parse.GetValue(svg), parse.GetValue(dot), io));
    }

    private static int Run(string path, string? svg, string? dot, CliStreams io)
    {
        using var model = OnnxImporter.Import(path);
        var serve = model.Signature("serve");
        io.Output.WriteLine($"{path}: {model.Graph.Nodes.Count} nodes, {model.Graph.Variables.Count()} variables; inputs {string.Join(", ", serve.Inputs.Select(i => $"{i.Key} {i.Value.Shape}"))}; outputs {string.Join(", ", serve.Outputs.Select(o => $"{o.Key} {o.Value.Shape}"))}");
        var renderer = new GraphRenderer(model.Graph, new RenderOptions { Fetches = serve.Outputs.Values.ToArray() });
        foreach (var (format, file) in new[] { ("dot", dot), ("svg", svg) })
        {
            if (file is null) continue;
            try
            {
                renderer.Save(file, format);
                io.Output.WriteLine($"wrote {file}");
            }
            catch (GraphvizException e)
            {
                io.Error.WriteLine($"nabla show: {e.Message}");
                return 1;
            }
        }
        return 0;
    }
}
