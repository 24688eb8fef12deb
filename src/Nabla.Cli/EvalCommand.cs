using System.CommandLine;
using System.Text.Json;
using Nabla.NN;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary><c>nabla eval</c>: restores a checkpoint written by <c>nabla train</c> and reports test accuracy and a confusion matrix.</summary>
internal sealed class EvalCommand : NablaCommand
{
    public override Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "the model.ckpt written by 'nabla train'", HelpName = "FILE", Required = true };
        var data = CliOptions.Data();
        var limit = CliOptions.Limit("use only the first N test examples");
        var command = new Command("eval", "Test accuracy and confusion matrix of a checkpoint written by 'nabla train'.") { checkpoint, data, limit };
        return Handle(command, (parse, io) =>
            Run(parse.GetValue(checkpoint)!, parse.GetValue(data) ?? DataPaths.DefaultData(), parse.GetValue(limit), io.Output));
    }

    private static int Run(string path, string data, int? limit, TextWriter output)
    {
        var (console, _) = CliConsole.For(output);

        var saved = Checkpoint.Read(path);
        CheckpointInfo info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(saved.Metadata) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new CheckpointMismatchException($"Checkpoint '{path}' was not written by 'nabla train' (its metadata names no model); restore it from code with Checkpoint.Restore.");
        }
        var test = Mnist.LoadPair(data, "t10k");
        if (limit is int n) test = test.Take(n);
        var (model, shape) = MnistModels.Create(info.Model, info.Seed);
        using var classifier = new ClassifierTrainer(model, shape);
        saved.Restore(classifier.Session, model.Variables);

        var confusion = new int[Mnist.Classes, Mnist.Classes];
        var stats = classifier.Evaluate(test.Reshape(shape), confusion: confusion);
        console.MarkupLine($"[bold]{info.Model}[/] from [blue]{Markup.Escape(path)}[/] on {test.Count} test examples of [blue]{Markup.Escape(data)}[/]");
        console.MarkupLine($"test accuracy [bold]{stats.Accuracy:P2}[/] ({(int)Math.Round(stats.Accuracy * test.Count)}/{test.Count}), loss {stats.Loss:F4}");

        // The title on a line of its own: a table's title would wrap to the table's width.
        console.WriteLine("confusion matrix (rows: true digit, columns: predicted):");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("").RightAligned());
        for (int j = 0; j < Mnist.Classes; j++) table.AddColumn(new TableColumn($"{j}").RightAligned());
        for (int i = 0; i < Mnist.Classes; i++)
            table.AddRow([$"{i}", .. Enumerable.Range(0, Mnist.Classes).Select(j => i == j ? $"[green]{confusion[i, j]}[/]" : confusion[i, j] == 0 ? "[dim]0[/]" : $"{confusion[i, j]}")]);
        console.Write(table);
        return 0;
    }
}
