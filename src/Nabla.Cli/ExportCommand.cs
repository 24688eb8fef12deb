using System.CommandLine;
using System.Text.Json;
using Nabla.NN;
using Nabla.Onnx;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla export</c>: writes the inference graph of a model trained by <c>nabla train</c> (from its checkpoint or its
/// model file) as ONNX, taking what <c>nabla</c> feeds: float32 pixels in [0, 1], [N, 784] for mlp or [N, 1, 28, 28]
/// for cnn, and giving logits [N, 10].
/// </summary>
internal sealed class ExportCommand : NablaCommand
{
    public override Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "a model.ckpt written by 'nabla train'", HelpName = "FILE" };
        var model = new Option<string?>("--model") { Description = "a model.nabla written by 'nabla train'", HelpName = "FILE" };
        var onnx = new Option<string>("--onnx") { Description = "the ONNX file to write (opset 17; input 'x', output 'logits')", HelpName = "OUT.onnx", Required = true };
        var command = new Command("export", "Export a trained model (checkpoint or model file) to ONNX.") { checkpoint, model, onnx };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(checkpoint) is null) == (result.GetValue(model) is null))
                result.AddError("Give exactly one of --checkpoint FILE or --model FILE.");
        });
        return Handle(command, (parse, io) => Run(parse.GetValue(checkpoint), parse.GetValue(model), parse.GetValue(onnx)!, io.Output));
    }

    private static int Run(string? checkpoint, string? modelFile, string onnx, TextWriter output)
    {
        if (modelFile is not null)
        {
            using var model = ModelFile.Load(modelFile);
            var serve = model.Signature("serve");
            OnnxExporter.Export(onnx, model.Session, serve.Inputs, serve.Outputs);
        }
        else
        {
            var saved = Checkpoint.Read(checkpoint!);
            var info = CheckpointMetadata.Read(saved, checkpoint!);
            var (model, shape) = MnistModels.Create(info.Model, info.Seed);
            using var classifier = new ClassifierTrainer(model, shape);
            saved.Restore(classifier.Session, model.Variables);
            OnnxExporter.Export(onnx, classifier.Session, new Dictionary<string, Node> { ["x"] = classifier.X }, new Dictionary<string, Node> { ["logits"] = classifier.Logits });
        }
        output.WriteLine($"wrote {onnx} (ONNX opset {OnnxExporter.Opset}, {new FileInfo(onnx).Length / 1024.0:F1} KiB)");
        return 0;
    }
}

/// <summary>Reads the metadata that <c>nabla train</c> stores in its checkpoints.</summary>
internal static class CheckpointMetadata
{
    public static CheckpointInfo Read(CheckpointData saved, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CheckpointInfo>(saved.Metadata) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new CheckpointMismatchException($"Checkpoint '{path}' was not written by 'nabla train' (its metadata names no model); restore it from code with Checkpoint.Restore.");
        }
    }
}
