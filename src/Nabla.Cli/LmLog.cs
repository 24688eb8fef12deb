using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;

namespace Nabla.Cli;

/// <summary>One evaluation during <c>nabla lm train</c>: the running training loss since the last one, and the validation loss.</summary>
internal sealed record LmRecord(int Step, double TrainLoss, double ValidationLoss, double Seconds, double TokensPerSecond, double LearningRate);

/// <summary>What <c>nabla lm train</c> writes to metrics.json (losses in nats per character).</summary>
internal sealed record LmLog(string Model, string Data, int TrainWords, int ValidationWords, int Batch, int Context, int Width, int Layers, int Heads,
    int Hidden, double LearningRate, int Seed, double Unigram, double Bigram, bool Interrupted, List<LmRecord> Evaluations)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static LmLog FromJson(string json) => JsonSerializer.Deserialize<LmLog>(json, Options) ?? throw new NablaException("metrics.json is empty.");

    /// <summary>Training and validation loss per evaluation against the two baselines, as a PNG.</summary>
    public void SavePlot(string path)
    {
        var steps = Evaluations.Select(e => (double)e.Step).ToArray();
        var plot = new Plot();
        plot.Title($"nabla lm train --model {Model} (batch {Batch}, context {Context}, width {Width}, {(Model == "lstm" ? $"hidden {Hidden}" : $"{Layers} blocks")})");
        plot.XLabel("step");
        plot.YLabel("loss (nats per character)");
        var train = plot.Add.Scatter(steps, Evaluations.Select(e => e.TrainLoss).ToArray());
        train.LegendText = "train loss";
        var validation = plot.Add.Scatter(steps, Evaluations.Select(e => e.ValidationLoss).ToArray());
        validation.LegendText = "validation loss";
        validation.LinePattern = LinePattern.Dashed;
        var bigram = plot.Add.HorizontalLine(Bigram);
        bigram.LegendText = $"bigram {Bigram:F3}";
        var unigram = plot.Add.HorizontalLine(Unigram);
        unigram.LegendText = $"unigram {Unigram:F3}";
        plot.ShowLegend(Alignment.UpperRight);
        TrainingLog.WriteAtomically(path, temp => plot.SavePng(temp, 900, 540));
    }
}
