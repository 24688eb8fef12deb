using System.CommandLine;
using Nabla.NN;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla eval</c>: test accuracy and a confusion matrix of a model written by <c>nabla train</c>, from its checkpoint
/// (the architecture rebuilt from the name in its metadata) or from its model file (no architecture in code).
/// </summary>
internal sealed class EvalCommand : NablaCommand
{
    public override Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "the model.ckpt written by 'nabla train'", HelpName = "FILE" };
        var modelFile = new Option<string?>("--model") { Description = "the model.nabla written by 'nabla train'", HelpName = "FILE" };
        var data = CliOptions.Data();
        var limit = CliOptions.Limit("use only the first N test examples");
        var command = new Command("eval", "Test accuracy and confusion matrix of a model written by 'nabla train' (its checkpoint or its model file).") { checkpoint, modelFile, data, limit };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(checkpoint) is null) == (result.GetValue(modelFile) is null))
                result.AddError("Give exactly one of --checkpoint FILE or --model FILE.");
        });
        return Handle(command, (parse, io) => parse.GetValue(modelFile) is { } file
            ? RunModelFile(file, parse.GetValue(data) ?? DataPaths.DefaultData(), parse.GetValue(limit), io.Output)
            : Run(parse.GetValue(checkpoint)!, parse.GetValue(data) ?? DataPaths.DefaultData(), parse.GetValue(limit), io.Output));
    }

    private static int Run(string path, string data, int? limit, TextWriter output)
    {
        var (console, _) = CliConsole.For(output);

        var saved = Checkpoint.Read(path);
        var info = CheckpointMetadata.Read(saved, path);
        var test = Mnist.LoadPair(data, "t10k");
        if (limit is int n) test = test.Take(n);
        var (model, shape) = MnistModels.Create(info.Model, info.Seed);
        using var classifier = new ClassifierTrainer(model, shape);
        saved.Restore(classifier.Session, model.Variables);

        var confusion = new int[Mnist.Classes, Mnist.Classes];
        var stats = classifier.Evaluate(test.Reshape(shape), confusion: confusion);
        console.MarkupLine($"[bold]{info.Model}[/] from [blue]{Markup.Escape(path)}[/] on {test.Count} test examples of [blue]{Markup.Escape(data)}[/]");
        console.MarkupLine($"test accuracy [bold]{stats.Accuracy:P2}[/] ({(int)Math.Round(stats.Accuracy * test.Count)}/{test.Count}), loss {stats.Loss:F4}");

        WriteConfusion(console, confusion);
        return 0;
    }

    private static int RunModelFile(string path, string data, int? limit, TextWriter output)
    {
        var (console, _) = CliConsole.For(output);
        using var model = ModelFile.Load(path);
        var test = Mnist.LoadPair(data, "t10k");
        if (limit is int n) test = test.Take(n);
        test = test.Reshape(ClassifierModelFile.ExampleShape(model));
        var (x, _) = test.Batch(test.Sequence(), 0, test.Count);
        var predicted = ClassifierModelFile.Predict(model, x);
        var confusion = new int[Mnist.Classes, Mnist.Classes];
        for (int i = 0; i < predicted.Length; i++) confusion[test.Labels[i], predicted[i]]++;
        int correct = Enumerable.Range(0, Mnist.Classes).Sum(i => confusion[i, i]);
        string name = model.Metadata.TryGetValue("model", out var m) ? m : "model";
        console.MarkupLine($"[bold]{Markup.Escape(name)}[/] from [blue]{Markup.Escape(path)}[/] on {test.Count} test examples of [blue]{Markup.Escape(data)}[/]");
        console.MarkupLine($"test accuracy [bold]{(double)correct / Math.Max(1, test.Count):P2}[/] ({correct}/{test.Count})");
        WriteConfusion(console, confusion);
        return 0;
    }

    private static void WriteConfusion(IAnsiConsole console, int[,] confusion)
    {
        // The title on a line of its own: a table's title would wrap to the table's width.
        console.WriteLine("confusion matrix (rows: true digit, columns: predicted):");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("").RightAligned());
        for (int j = 0; j < Mnist.Classes; j++) table.AddColumn(new TableColumn($"{j}").RightAligned());
        for (int i = 0; i < Mnist.Classes; i++)
            table.AddRow([$"{i}", .. Enumerable.Range(0, Mnist.Classes).Select(j => i == j ? $"[green]{confusion[i, j]}[/]" : confusion[i, j] == 0 ? "[dim]0[/]" : $"{confusion[i, j]}")]);
        console.Write(table);
    }
}
