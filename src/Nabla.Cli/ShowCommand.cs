using System.CommandLine;
using Nabla.Onnx;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla show</c>: imports an ONNX model or loads a Nabla model file and draws its graph (DOT, SVG, PNG or HTML by
/// the file's extension); for each control-flow node it says what the construct does and how its gradient is computed.
/// </summary>
internal sealed class ShowCommand : NablaCommand
{
    public override Command Create()
    {
        var onnx = new Option<string?>("--onnx") { Description = "the ONNX model to import", HelpName = "FILE" };
        var model = new Option<string?>("--model") { Description = "the Nabla model file (.nabla) to load", HelpName = "FILE" };
        var svg = new Option<string?>("--svg") { Description = "write the picture as SVG", HelpName = "OUT" };
        var dot = new Option<string?>("--dot") { Description = "write the graph as DOT", HelpName = "OUT" };
        var command = new Command("show", "Import an ONNX model or load a model file and draw its graph.") { onnx, model, svg, dot };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(onnx) is null) == (r.GetValue(model) is null)) r.AddError("show: give one of --onnx FILE and --model FILE.");
        });
        return Handle(command, (parse, io) => Run(parse.GetValue(onnx), parse.GetValue(model), parse.GetValue(svg), parse.GetValue(dot), io));
    }

    private static int Run(string? onnx, string? modelPath, string? svg, string? dot, CliStreams io)
    {
        string path = onnx ?? modelPath!;
        using var model = onnx is not null ? OnnxImporter.Import(onnx) : ModelFile.Load(modelPath!);
        foreach (var (name, signature) in model.Signatures)
            io.Output.WriteLine($"{path} ({name}): {model.Graph.Nodes.Count} nodes, {model.Graph.Variables.Count()} variables; inputs {string.Join(", ", signature.Inputs.Select(i => $"{i.Key} {i.Value.Shape}"))}; outputs {string.Join(", ", signature.Outputs.Select(o => $"{o.Key} {o.Value.Shape}"))}");
        var fetches = model.Signatures.Values.SelectMany(s => s.Outputs.Values).Distinct().ToArray();
        foreach (var node in model.Graph.Nodes.Where(n => n.ControlFlow is not null))
            io.Output.WriteLine(Explainer.Describe(node));
        var renderer = new GraphRenderer(model.Graph, new RenderOptions { Fetches = fetches });
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
