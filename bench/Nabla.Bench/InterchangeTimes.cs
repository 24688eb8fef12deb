using System.Diagnostics;
using Nabla.NN;
using Nabla.Onnx;

namespace Nabla.Bench;

/// <summary>
/// Times saving and loading the MNIST models (median of 9 after a warm-up) as a checkpoint, a model file and an ONNX
/// export, and reports the file sizes.
/// </summary>
internal static class InterchangeTimes
{
    public static int Run(TextWriter output)
    {
        var dir = Directory.CreateTempSubdirectory("nabla-interchange-").FullName;
        try
        {
            output.WriteLine("| model | checkpoint save | model file save | model file load | ONNX export | checkpoint | model file | ONNX |");
            output.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (var name in MnistModels.Names)
            {
                var (model, shape) = MnistModels.Create(name, seed: 1);
                using var trainer = new ClassifierTrainer(model, shape);
                string ckpt = Path.Combine(dir, name + ".ckpt"), file = Path.Combine(dir, name + ".nabla"), onnx = Path.Combine(dir, name + ".onnx");
                var signatures = new Dictionary<string, Signature>
                {
                    ["serve"] = new(new Dictionary<string, Node> { ["x"] = trainer.X }, new Dictionary<string, Node> { ["logits"] = trainer.Logits }),
                };
                double save = Median(() => Checkpoint.Save(ckpt, trainer.Session, trainer.Model.Variables));
                double modelSave = Median(() => ModelFile.Save(file, trainer.Session, signatures));
                double modelLoad = Median(() => ModelFile.Load(file).Dispose());
                double export = Median(() => OnnxExporter.Export(onnx, trainer.Session,
                    new Dictionary<string, Node> { ["x"] = trainer.X }, new Dictionary<string, Node> { ["logits"] = trainer.Logits }));
                output.WriteLine($"| {name} | {save:F2} ms | {modelSave:F2} ms | {modelLoad:F2} ms | {export:F2} ms | {Size(ckpt)} | {Size(file)} | {Size(onnx)} |");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(Action action)
    {
        action();
        var times = new double[9];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static string Size(string path) => $"{new FileInfo(path).Length / 1024.0:F1} KiB";
}
