using System.CommandLine;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla predict</c>: the digits a model file predicts, for images given as files (.npy arrays of 784 or 28×28
/// pixels in [0, 1], or binary PGM 28×28) or for the test set of an MNIST folder. Needs no architecture in code.
/// </summary>
internal sealed class PredictCommand : NablaCommand
{
    public override Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.nabla written by 'nabla train'", HelpName = "FILE", Required = true };
        var images = new Argument<string[]>("IMAGE") { Description = "images: .npy (784 or 28×28 float pixels in [0, 1]) or binary .pgm 28×28", Arity = ArgumentArity.ZeroOrMore };
        var data = new Option<string?>("--data") { Description = "predict the test set of this MNIST folder instead, and report accuracy", HelpName = "DIR" };
        var limit = CliOptions.Limit("use only the first N test examples of --data");
        var command = new Command("predict", "Predict digits with a model file: for image files, or for the test set of --data.") { model, images, data, limit };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(images) is not { Length: > 0 }) == (result.GetValue(data) is null))
                result.AddError("Give image files or --data DIR (not both).");
        });
        return Handle(command, (parse, io) => Run(parse.GetValue(model)!, parse.GetValue(images) ?? [], parse.GetValue(data), parse.GetValue(limit), io.Output));
    }

    private static int Run(string path, string[] images, string? data, int? limit, TextWriter output)
    {
        using var model = ModelFile.Load(path);
        var shape = ClassifierModelFile.ExampleShape(model);
        if (data is not null)
        {
            var test = Mnist.LoadPair(data, "t10k");
            if (limit is int n) test = test.Take(n);
            test = test.Reshape(shape);
            var (x, _) = test.Batch(test.Sequence(), 0, test.Count);
            var predicted = ClassifierModelFile.Predict(model, x);
            int correct = predicted.Where((p, i) => p == test.Labels[i]).Count();
            output.WriteLine($"{path} on {test.Count} test examples of {data}: accuracy {(double)correct / test.Count:P2} ({correct}/{test.Count})");
            return 0;
        }
        var pixels = images.SelectMany(ImageFiles.Read).ToArray();
        var batch = Tensor.FromArray(pixels, [images.Length, .. shape]);
        var digits = ClassifierModelFile.Predict(model, batch);
        for (int i = 0; i < images.Length; i++) output.WriteLine($"{images[i]}: {digits[i]}");
        return 0;
    }
}

/// <summary>One 28×28 image as 784 float pixels in [0, 1], from a .npy array or a binary PGM file.</summary>
internal static class ImageFiles
{
    public static float[] Read(string path)
    {
        float[] pixels;
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) pixels = Npy.Read(path).ToArray<float>();
        else if (path.EndsWith(".pgm", StringComparison.OrdinalIgnoreCase)) pixels = ReadPgm(path);
        else throw new CommandArgumentException($"Image '{path}': use a .npy array (784 or 28×28 pixels in [0, 1]) or a binary .pgm 28×28.");
        if (pixels.Length != 784) throw new CommandArgumentException($"Image '{path}' has {pixels.Length} pixels; MNIST models take 28×28 = 784.");
        return pixels;
    }

    /// <summary>Binary PGM ("P5"): a text header of width, height and maximum value, then one byte per pixel.</summary>
    private static float[] ReadPgm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int pos = 0;
        string Token()
        {
            while (pos < bytes.Length && (char.IsWhiteSpace((char)bytes[pos]) || bytes[pos] == '#'))
                if (bytes[pos] == '#') while (pos < bytes.Length && bytes[pos] != '\n') pos++; else pos++;
            int start = pos;
            while (pos < bytes.Length && !char.IsWhiteSpace((char)bytes[pos])) pos++;
            return System.Text.Encoding.ASCII.GetString(bytes, start, pos - start);
        }
        if (Token() != "P5" || !int.TryParse(Token(), out int w) || !int.TryParse(Token(), out int h) || !int.TryParse(Token(), out int max) || max is < 1 or > 255)
            throw new CommandArgumentException($"Image '{path}' is not a binary PGM (P5) with 8-bit pixels.");
        pos++;
        if (bytes.Length - pos < w * h) throw new CommandArgumentException($"Image '{path}' is truncated: {w}×{h} pixels need {w * h} bytes after the header.");
        return bytes.AsSpan(pos, w * h).ToArray().Select(b => b / (float)max).ToArray();
    }
}
