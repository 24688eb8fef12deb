using System.CommandLine;
using System.Diagnostics;
using Nabla.NN;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla lm train</c>: trains a character transformer or LSTM on a word list with AdamW, a warm-up cosine schedule and
/// clipping, showing live loss and tokens/s; compares the validation loss with unigram and bigram counts; writes the
/// checkpoint, metrics.json, curves.png (and an attention heatmap when asked). Ctrl-C stops after the current step, still saves, and exits with 130.
/// </summary>
internal sealed class LmTrainCommand : NablaCommand
{
    public override string? Parent => "lm";

    private sealed class Options
    {
        public readonly Option<string> Model = CliOptions.Choice("--model", "the model: a decoder-only transformer, or embedding → LSTM → projection", "transformer", ["transformer", "lstm"]);
        public readonly Option<string?> Data = new("--data") { Description = $"word list, one word a line [default: the shipped {DataPaths.Words}]", HelpName = "FILE" };
        public readonly Option<int> Steps = CliOptions.Int("--steps", "training steps", min: 1, defaultValue: 1500);
        public readonly Option<int> Batch = CliOptions.Int("--batch", "windows per step", min: 1, defaultValue: 32);
        public readonly Option<int> Context = CliOptions.Int("--context", "characters per window", min: 2, defaultValue: 16);
        public readonly Option<int> Width = CliOptions.Int("--width", "embedding width", min: 1, defaultValue: 64);
        public readonly Option<int> Hidden = CliOptions.Int("--hidden", "LSTM hidden size (lstm)", min: 1, defaultValue: 256);
        public readonly Option<int> Layers = CliOptions.Int("--layers", "transformer blocks", min: 1, defaultValue: 2);
        public readonly Option<int> Heads = CliOptions.Int("--heads", "attention heads per block (must divide the width)", min: 1, defaultValue: 4);
        public readonly Option<double?> Rate = CliOptions.Positive("--lr", "peak learning rate (100 warm-up steps, then cosine to 1%)", defaults: "0.003");
        public readonly Option<int> Seed = CliOptions.Int("--seed", "seed of the weights, the data split and the batches", min: 0, defaultValue: 1);
        public readonly Option<int> EvalEvery = CliOptions.Int("--eval-every", "steps between validation losses", min: 1, defaultValue: 250);
        public readonly Option<int?> Limit = CliOptions.Limit("use only N words (after shuffling)");
        public readonly Option<string?> Out = new("--out") { Description = "folder for model.ckpt, metrics.json and curves.png [default: out/lm]", HelpName = "DIR" };
        public readonly Option<string?> AttentionPng = new("--attention-png") { Description = "also draw block 0, head 0's attention on a validation word as a heatmap PNG", HelpName = "FILE" };

        public IEnumerable<Option> All => [Model, Data, Steps, Batch, Context, Width, Hidden, Layers, Heads, Rate, Seed, EvalEvery, Limit, Out, AttentionPng];
    }

    public override Command Create()
    {
        var o = new Options();
        var command = new Command("train", "Train a character-level transformer or LSTM on a word list; reports validation loss in nats per character against unigram and bigram baselines. Ctrl-C stops after the current step and still saves.");
        foreach (var option in o.All) command.Add(option);
        return Handle(command, (parse, io) => Run(parse, o, io.Output));
    }

    private static int Run(ParseResult parse, Options o, TextWriter output)
    {
        var (console, live) = CliConsole.For(output);
        int seed = parse.GetValue(o.Seed), steps = parse.GetValue(o.Steps), batch = parse.GetValue(o.Batch), evalEvery = parse.GetValue(o.EvalEvery);
        double rate = parse.GetValue(o.Rate) ?? 3e-3;
        var limit = parse.GetValue(o.Limit);
        var corpus = WordCorpus.Load(parse.GetValue(o.Data) ?? DataPaths.DefaultWords(), LmCheckpoint.ValidationFraction, seed, limit);
        string kind = parse.GetValue(o.Model)!;
        int context = parse.GetValue(o.Context), width = parse.GetValue(o.Width);
        var attentionPng = parse.GetValue(o.AttentionPng);
        if (kind == "lstm" && attentionPng is not null)
            throw new CommandArgumentException("--attention-png draws a transformer's attention and an LSTM has none; drop it or train with --model transformer.");
        CharModel model = kind == "lstm"
            ? new CharLstm(new CharLstmConfig(corpus.Vocabulary.Count, context, width, parse.GetValue(o.Hidden), seed))
            : new CharTransformer(new CharTransformerConfig(corpus.Vocabulary.Count, context, width, parse.GetValue(o.Layers), parse.GetValue(o.Heads), 0, seed));
        var schedule = LearningRateSchedule.WarmupCosine(rate, Math.Min(100, steps - 1), steps, alpha: 0.01);
        using var lm = new CharLanguageModel(model, new AdamW(schedule, weightDecay: 0.01) { ClipNorm = 1 });
        var baselines = new NgramBaselines(corpus.Train, corpus.Vocabulary.Count);
        var (first, end) = CharLanguageModel.EvaluatedTargets(corpus.Validation.Length, context);
        double unigram = baselines.Unigram(corpus.Validation, first, end), bigram = baselines.Bigram(corpus.Validation, first, end);
        string outDir = parse.GetValue(o.Out) ?? Path.Combine("out", "lm");

        console.MarkupLine($"[bold]nabla lm train[/] --model {kind}: {corpus.TrainWords:N0} training and {corpus.ValidationWords:N0} validation words ({corpus.Vocabulary.Count} characters) from [blue]{Markup.Escape(corpus.Path)}[/]");
        console.MarkupLine($"{Describe(model)}, {lm.Model.TrainableVariables.Sum(v => v.Shape.Size):N0} parameters; AdamW (weight decay 0.01), peak learning rate {rate}, warm-up then cosine, clipping at norm 1; batch {batch}, {steps} steps, seed {seed}");
        console.MarkupLine($"baselines on the validation words: unigram {unigram:F4}, bigram {bigram:F4} nats per character");

        using var ctrlC = new CtrlC();
        var (layers, heads, hidden) = model is CharTransformer t ? (t.Config.Layers, t.Config.Heads, 0) : (0, 0, ((CharLstm)model).Config.Hidden);
        var log = new LmLog(kind, corpus.Path, corpus.TrainWords, corpus.ValidationWords, batch, context, width, layers, heads, hidden, rate, seed, unigram, bigram, false, []);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        double runningLoss = 0, lastSeconds = 0;
        int runningCount = 0, lastStep = 0;
        void Evaluate()
        {
            double seconds = clock.Elapsed.TotalSeconds;
            double tokensPerSecond = (lm.Step - lastStep) * (double)batch * context / Math.Max(seconds - lastSeconds, 1e-9);
            double validation = lm.Evaluate(corpus.Validation);
            var record = new LmRecord(lm.Step, runningLoss / Math.Max(1, runningCount), validation, seconds, tokensPerSecond, schedule.At(lm.Step - 1));
            log.Evaluations.Add(record);
            console.MarkupLine($"step {record.Step}/{steps}: train loss {record.TrainLoss:F4} | [bold]validation {record.ValidationLoss:F4}[/] nats/char | {record.Seconds:F0} s, {record.TokensPerSecond:F0} tokens/s");
            (runningLoss, runningCount, lastSeconds, lastStep) = (0, 0, clock.Elapsed.TotalSeconds, lm.Step);
        }
        void Train(Action<double>? progress)
        {
            while (lm.Step < steps && !ctrlC.Pressed)
            {
                double loss = lm.TrainStep(corpus.Train, batch, random);
                runningLoss += loss;
                runningCount++;
                progress?.Invoke(loss);
                if (lm.Step % evalEvery == 0 || lm.Step == steps) Evaluate();
            }
        }
        if (live)
            console.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask("training", maxValue: steps);
                    Train(loss =>
                    {
                        bar.Value = lm.Step;
                        double tokens = (double)lm.Step * batch * context;
                        bar.Description = $"step {lm.Step}/{steps}  loss {loss:F4}  {tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} tokens/s";
                    });
                });
        else
            Train(null);
        if (ctrlC.Pressed && runningCount > 0) Evaluate();
        log = log with { Interrupted = ctrlC.Pressed };
        Summarize(console, log);
        Save(console, lm, corpus, seed, limit, log, outDir, attentionPng);
        return log.Interrupted ? CtrlC.ExitCode : 0;
    }

    private static string Describe(CharModel model) => model switch
    {
        CharTransformer t => $"{t.Config.Layers} blocks, width {t.Config.Width}, {t.Config.Heads} heads, context {t.Context}",
        CharLstm l => $"embedding width {l.Config.Embedding}, LSTM of hidden size {l.Config.Hidden}, context {l.Context}",
        _ => model.ToString(),
    };

    private static void Summarize(IAnsiConsole console, LmLog log)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("validation loss, nats per character");
        foreach (var column in new[] { "model", "loss", "vs bigram" }) table.AddColumn(new TableColumn(column).RightAligned());
        table.AddRow("unigram counts", $"{log.Unigram:F4}", $"{(log.Unigram / log.Bigram - 1):+0.0%;-0.0%}");
        table.AddRow("bigram counts", $"{log.Bigram:F4}", "—");
        if (log.Evaluations.Count > 0)
        {
            var last = log.Evaluations[^1];
            table.AddRow($"{log.Model}, step {last.Step}", $"{last.ValidationLoss:F4}", $"{(last.ValidationLoss / log.Bigram - 1):+0.0%;-0.0%}");
            console.Write(table);
            console.MarkupLine($"trained for {last.Seconds:F0} s; the training loss is the running mean since the previous evaluation.");
        }
        else console.Write(table);
    }

    private static void Save(IAnsiConsole console, CharLanguageModel lm, WordCorpus corpus, int seed, int? limit, LmLog log, string outDir, string? attentionPng)
    {
        Directory.CreateDirectory(outDir);
        var checkpoint = Path.Combine(outDir, "model.ckpt");
        Checkpoint.Save(checkpoint, lm.Session, lm.Model.Variables, LmCheckpoint.Metadata(lm.Model, corpus, seed, limit));
        var metrics = Path.Combine(outDir, "metrics.json");
        TrainingLog.WriteAtomically(metrics, temp => File.WriteAllText(temp, log.ToJson()));
        var written = new List<string> { checkpoint, metrics };
        if (log.Evaluations.Count > 0)
        {
            var plot = Path.Combine(outDir, "curves.png");
            log.SavePlot(plot);
            written.Add(plot);
        }
        if (attentionPng is not null)
        {
            LmAttention.Draw(attentionPng, lm, corpus.Vocabulary, LmAttention.FirstWord(corpus.Validation, lm.Model.Context));
            written.Add(attentionPng);
        }
        console.MarkupLine("wrote " + string.Join(", ", written.Select(w => $"[blue]{Markup.Escape(w)}[/]")));
        if (log.Interrupted) console.MarkupLine("[yellow]stopped early by Ctrl-C; the checkpoint holds the weights after the last step run.[/]");
    }
}
