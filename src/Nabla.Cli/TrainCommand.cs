using System.CommandLine;
using System.Text.Json;
using Nabla.NN;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train</c>: trains an MNIST classifier, showing progress per epoch, then writes the checkpoint, the model
/// file, a resume point, a plot of the curves and a JSON log to --out. Ctrl-C stops after the current batch, still
/// saves, and exits with 130; <c>--resume DIR</c> continues such a run with its settings (--epochs may raise the total).
/// The output folder is checked before training. A loss that turns NaN or ∞ stops training with exit code 1: metrics.json
/// is written (non-finite figures as null) and the checkpoint, model file and resume point are not, so good ones from an
/// earlier run stay.
/// </summary>
internal sealed class TrainCommand : NablaCommand
{
    public override Command Create()
    {
        var options = new TrainSettings.Options();
        var command = new Command("train", "Train an MNIST classifier (the shipped subset by default); writes a checkpoint, a model file, a resume point, a plot of the curves and a JSON log. Ctrl-C stops after the current batch and still saves; --resume DIR continues.");
        var resume = new Option<string?>("--resume") { Description = "continue the run saved in this --out folder, with its settings (--epochs may raise the total)", HelpName = "DIR" };
        foreach (var option in options.All) command.Add(option);
        command.Add(resume);
        return Handle(command, (parse, io) =>
        {
            var settings = options.Read(parse);
            if (parse.GetValue(resume) is not { } from) return Run(settings, null, io.Output, io.Error);
            bool epochsGiven = parse.Tokens.Any(t => t.Value == "--epochs" || t.Value.StartsWith("--epochs=", StringComparison.Ordinal));
            return Run(ResumePoint.Settings(from, epochsGiven ? settings.Epochs : null), from, io.Output, io.Error);
        });
    }

    private static int Run(TrainSettings settings, string? resume, TextWriter output, TextWriter error)
    {
        var (console, live) = CliConsole.For(output);
        OutputFolder.EnsureWritable(settings.Out, "--out");
        var (train, test) = Mnist.Load(settings.Data);
        if (settings.Limit is int limit) (train, test) = (train.Take(limit), test.Take(limit));
        var (mean, std) = train.Moments();
        var (model, shape) = MnistModels.Create(settings.Model, settings.Seed, mean, std);
        (train, test) = (train.Reshape(shape), test.Reshape(shape));
        int stepsPerEpoch = (train.Count + settings.Batch - 1) / settings.Batch;
        var optimizer = settings.CreateOptimizer(settings.Epochs * stepsPerEpoch);
        using var trainer = new ClassifierTrainer(model, shape, optimizer);
        var run = resume is null ? new ResumableTraining(trainer, train, settings.Batch, settings.Seed) : ResumePoint.Resume(resume, trainer, train, settings.Batch);

        console.MarkupLine($"[bold]nabla train[/] --model {settings.Model}: {train.Count} training and {test.Count} test examples from [blue]{Markup.Escape(settings.Data)}[/]");
        console.MarkupLine($"{settings.Optimizer}, learning rate {settings.LearningRate} (cosine decay), batch {settings.Batch}, {settings.Epochs} epochs, seed {settings.Seed}, {model.TrainableVariables.Sum(v => v.Shape.Size):N0} parameters");
        console.WriteLine(model.Summary());

        using var ctrlC = new CtrlC();
        var log = new TrainingLog(settings.Model, settings.Optimizer, settings.LearningRate, settings.Batch, settings.Seed, settings.Data, train.Count, test.Count, false, []);
        for (int epoch = run.Position.Epoch + 1; epoch <= settings.Epochs && !ctrlC.Pressed; epoch++)
        {
            double rate = optimizer.Schedule.At(trainer.Step);
            EpochStats stats;
            try
            {
                stats = live
                    ? RunLive(console, run, train, settings, epoch, ctrlC.Token)
                    : run.TrainEpoch(cancel: ctrlC.Token);
            }
            catch (TrainingDivergedException diverged)
            {
                log.Epochs.Add(new EpochRecord(epoch, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, rate));
                WriteMetrics(settings, log);
                string kept = File.Exists(Path.Combine(settings.Out, "model.ckpt")) ? "; the model.ckpt already there is kept" : "";
                error.WriteLine($"nabla: {diverged.Message} No checkpoint was written{kept}; metrics.json records the epochs run.");
                return 1;
            }
            var eval = trainer.Evaluate(test);
            var record = new EpochRecord(epoch, stats.Loss, stats.Accuracy, eval.Loss, eval.Accuracy, stats.Seconds, stats.SamplesPerSecond, rate);
            log.Epochs.Add(record);
            console.MarkupLine($"epoch {epoch}/{settings.Epochs}: train loss {stats.Loss:F4} acc {stats.Accuracy:P2} | test loss {eval.Loss:F4} [bold]acc {eval.Accuracy:P2}[/] | {stats.Seconds:F1} s, {stats.SamplesPerSecond:F0} samples/s"
                + (ctrlC.Pressed ? $" [yellow](interrupted after {stats.Samples} samples)[/]" : ""));
        }
        log = log with { Interrupted = ctrlC.Pressed };
        WriteOutputs(console, settings, trainer, run, log);
        return log.Interrupted ? CtrlC.ExitCode : 0;
    }

    private static string WriteMetrics(TrainSettings settings, TrainingLog log)
    {
        var metrics = Path.Combine(settings.Out, "metrics.json");
        TrainingLog.WriteAtomically(metrics, temp => File.WriteAllText(temp, log.ToJson()));
        return metrics;
    }

    private static EpochStats RunLive(IAnsiConsole console, ResumableTraining run, Dataset train, TrainSettings settings, int epoch, CancellationToken stop)
    {
        EpochStats? stats = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"epoch {epoch}/{settings.Epochs}", maxValue: train.Count);
                stats = run.TrainEpoch(p =>
                {
                    bar.Value = p.Samples;
                    bar.Description = $"epoch {epoch}/{settings.Epochs}  loss {p.Loss:F4}  acc {p.Accuracy:P1}  {p.Samples / Math.Max(p.Seconds, 1e-9):F0} samples/s";
                }, stop);
            });
        return stats!;
    }

    private static void WriteOutputs(IAnsiConsole console, TrainSettings settings, ClassifierTrainer trainer, ResumableTraining run, TrainingLog log)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("training summary");
        foreach (var column in new[] { "epoch", "train loss", "train acc", "test loss", "test acc", "seconds", "samples/s" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var e in log.Epochs)
            table.AddRow($"{e.Epoch}", $"{e.TrainLoss:F4}", $"{e.TrainAccuracy:P2}", $"{e.TestLoss:F4}", $"{e.TestAccuracy:P2}", $"{e.Seconds:F1}", $"{e.SamplesPerSecond:F0}");
        console.Write(table);
        console.MarkupLine("[dim]train loss and accuracy are running means over each epoch's batches; test figures are measured after the epoch.[/]");

        Directory.CreateDirectory(settings.Out);
        var checkpoint = Path.Combine(settings.Out, "model.ckpt");
        var metadata = JsonSerializer.Serialize(new CheckpointInfo(settings.Model, settings.Seed));
        Checkpoint.Save(checkpoint, trainer.Session, trainer.Model.Variables, metadata);
        var modelFile = Path.Combine(settings.Out, "model.nabla");
        ClassifierModelFile.Save(modelFile, trainer, new Dictionary<string, string> { ["model"] = settings.Model, ["seed"] = $"{settings.Seed}" });
        ResumePoint.Save(settings, run);
        var metrics = WriteMetrics(settings, log);
        var plot = Path.Combine(settings.Out, "curves.png");
        if (log.Epochs.Count > 0) TrainingPlot.Save(plot, log);
        console.MarkupLine($"wrote [blue]{Markup.Escape(checkpoint)}[/], [blue]{Markup.Escape(modelFile)}[/], [blue]{Markup.Escape(metrics)}[/]" + (log.Epochs.Count > 0 ? $", [blue]{Markup.Escape(plot)}[/]" : ""));
        if (log.Interrupted) console.MarkupLine("[yellow]stopped early by Ctrl-C; the checkpoint holds the weights after the last batch run.[/]");
    }
}

/// <summary>The metadata a training run stores in its checkpoint, so that <c>nabla eval</c> can rebuild the model.</summary>
internal sealed record CheckpointInfo(string Model, int Seed);
