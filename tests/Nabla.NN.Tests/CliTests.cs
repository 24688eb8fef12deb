using Nabla.Cli;

namespace Nabla.NN.Tests;

public class CliTests
{
    internal static (int Code, string Out, string Err) Nabla(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void TrainWritesWhatEvalReadsBack()
    {
        using var dir = new TempDir();
        var train = Nabla("train", "--epochs", "1", "--limit", "300", "--batch", "50", "--data", Shipped.MnistSubset, "--out", dir.Path, "--seed", "2");
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("epoch 1/1", train.Out);
        Assert.Contains("training summary", train.Out);
        // The model's summary: the MLP's first hidden layer holds a 784×256 kernel and 256 biases.
        Assert.Matches(@"dense1\s+Dense\s+\[\?, 256\]\s+200,960", train.Out);
        Assert.DoesNotContain("\u001b[", train.Out); // no terminal escapes when the output is not a terminal

        var log = TrainingLog.FromJson(File.ReadAllText(Path.Combine(dir.Path, "metrics.json")));
        Assert.Equal("mlp", log.Model);
        Assert.Single(log.Epochs);
        var png = File.ReadAllBytes(Path.Combine(dir.Path, "curves.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        var eval = Nabla("eval", "--checkpoint", Path.Combine(dir.Path, "model.ckpt"), "--data", Shipped.MnistSubset, "--limit", "300");
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains($"test accuracy {log.Epochs[0].TestAccuracy:P2}", eval.Out);
        Assert.Contains("confusion matrix", eval.Out);
    }

    [Fact]
    public void BadOptionsAreReported()
    {
        var r = Nabla("train", "--model", "rnn");
        Assert.Equal(1, r.Code);
        Assert.Contains("--model must be one of mlp", r.Err);
        Assert.Contains("unknown option '--bogus'", Nabla("train", "--bogus", "1").Err);
        Assert.Contains("Give exactly one of --checkpoint FILE or --model FILE", Nabla("eval").Err);
    }

    [Fact]
    public void EvalOfACorruptCheckpointIsATypedError()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.ckpt"), "not a checkpoint");
        var r = Nabla("eval", "--checkpoint", dir.File("bad.ckpt"), "--data", Shipped.MnistSubset);
        Assert.Equal(1, r.Code);
        Assert.Contains("not a Nabla checkpoint", r.Err);
    }
}
