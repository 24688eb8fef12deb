using System.Text.Json;
using Nabla.Cli;

namespace Nabla.NN.Tests;

/// <summary><c>nabla lm</c> end to end on a small slice of the shipped word list: train, then sample and eval from the checkpoint.</summary>
public class LmCliTests
{
    private static (int Code, string Out, string Err) Nabla(params string[] args) => CliTests.Nabla(args);

    [Fact]
    public void TrainWritesItsOutputsAndSampleAndEvalReadTheCheckpointBack()
    {
        using var dir = new TempDir();
        var (code, output, error) = Nabla("lm", "train", "--steps", "20", "--limit", "1500", "--context", "8", "--width", "16", "--layers", "1",
            "--heads", "2", "--eval-every", "10", "--batch", "8", "--out", dir.Path, "--attention-png", dir.File("attention.png"));
        Assert.True(code == 0, error);
        Assert.Contains("bigram", output);
        foreach (var file in new[] { "model.ckpt", "metrics.json", "curves.png", "attention.png" })
            Assert.True(File.Exists(dir.File(file)), $"{file} missing; output:\n{output}");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(dir.File("attention.png"))[..4]);

        using var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("metrics.json")));
        var evaluations = metrics.RootElement.GetProperty("evaluations");
        Assert.Equal(2, evaluations.GetArrayLength());
        double unigram = metrics.RootElement.GetProperty("unigram").GetDouble(), bigram = metrics.RootElement.GetProperty("bigram").GetDouble();
        Assert.True(bigram < unigram);
        double last = evaluations[1].GetProperty("validation_loss").GetDouble();

        // eval rebuilds the model and the same split from the checkpoint: the same loss as at the end of training.
        var eval = Nabla("lm", "eval", "--checkpoint", dir.File("model.ckpt"));
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains($"transformer {last:F4}", eval.Out);
        Assert.Contains($"bigram {bigram:F4}", eval.Out);

        var first = Nabla("lm", "sample", "--checkpoint", dir.File("model.ckpt"), "--count", "4", "--seed", "7");
        var second = Nabla("lm", "sample", "--checkpoint", dir.File("model.ckpt"), "--count", "4", "--seed", "7", "--temperature", "0.5");
        Assert.True(first.Code == 0, first.Err);
        var words = first.Out.Split('\n', StringSplitOptions.None)[..4];
        Assert.All(words, w => Assert.Matches("^[a-z]*$", w));
        Assert.Equal(first.Out, Nabla("lm", "sample", "--checkpoint", dir.File("model.ckpt"), "--count", "4", "--seed", "7").Out);
        Assert.Equal(0, second.Code);
    }

    [Fact]
    public void AnLstmCheckpointRecordsItsKindAndSizesAndSampleAndEvalRebuildIt()
    {
        using var dir = new TempDir();
        var (code, output, error) = Nabla("lm", "train", "--model", "lstm", "--steps", "20", "--limit", "1500", "--context", "8", "--width", "8",
            "--hidden", "12", "--eval-every", "20", "--batch", "8", "--out", dir.Path);
        Assert.True(code == 0, error);
        Assert.Contains("--model lstm", output);
        Assert.Contains("LSTM of hidden size 12", output);
        var metadata = JsonDocument.Parse(global::Nabla.NN.Checkpoint.Read(dir.File("model.ckpt")).Metadata).RootElement;
        Assert.Equal("lstm", metadata.GetProperty("Model").GetString());
        Assert.Equal(12, metadata.GetProperty("Lstm").GetProperty("Hidden").GetInt32());
        Assert.Equal(8, metadata.GetProperty("Lstm").GetProperty("Embedding").GetInt32());

        using var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("metrics.json")));
        Assert.Equal("lstm", metrics.RootElement.GetProperty("model").GetString());
        double last = metrics.RootElement.GetProperty("evaluations")[0].GetProperty("validation_loss").GetDouble();
        var eval = Nabla("lm", "eval", "--checkpoint", dir.File("model.ckpt"));
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains($"lstm {last:F4}", eval.Out);

        var sample = Nabla("lm", "sample", "--checkpoint", dir.File("model.ckpt"), "--count", "3", "--seed", "2");
        Assert.True(sample.Code == 0, sample.Err);
        Assert.All(sample.Out.Split('\n')[..3], w => Assert.Matches("^[a-z]*$", w));

        var attention = Nabla("lm", "train", "--model", "lstm", "--limit", "100", "--attention-png", dir.File("a.png"), "--out", dir.Path);
        Assert.Equal(1, attention.Code);
        Assert.Contains("attention", attention.Err);
        var sampledAttention = Nabla("lm", "sample", "--checkpoint", dir.File("model.ckpt"), "--attention-png", dir.File("a.png"));
        Assert.Equal(1, sampledAttention.Code);
        Assert.Contains("lstm model", sampledAttention.Err);
        Assert.Equal("", sampledAttention.Out);
    }

    [Fact]
    public void BadInputIsAMessageAndExitCodeOne()
    {
        using var dir = new TempDir();
        var missing = Nabla("lm", "sample", "--checkpoint", dir.File("none.ckpt"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("none.ckpt", missing.Err);
        var data = Nabla("lm", "train", "--data", dir.File("none.txt"), "--out", dir.Path);
        Assert.Equal(1, data.Code);
        Assert.Contains("none.txt", data.Err);
        var heads = Nabla("lm", "train", "--width", "10", "--heads", "4", "--limit", "100", "--out", dir.Path);
        Assert.Equal(1, heads.Code);
        Assert.Contains("heads", heads.Err);
        Assert.Equal(1, Nabla("lm").Code);
    }
}
