using Nabla.Cli;

namespace Nabla.NN.Tests;

/// <summary>nabla with outputs it cannot write and training that diverges: a <c>nabla: …</c> message and exit code 1, nothing good overwritten.</summary>
public class CliReliabilityTests
{
    private static (int Code, string Out, string Err) Nabla(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A path below a regular file: no folder can be created there.</summary>
    private static string Unwritable(TempDir dir)
    {
        File.WriteAllText(dir.File("file"), "a file, not a folder");
        return Path.Combine(dir.File("file"), "sub");
    }

    [Fact]
    public void TrainChecksItsOutputFolderBeforeTraining()
    {
        using var dir = new TempDir();
        var r = Nabla("train", "--epochs", "1", "--limit", "100", "--data", Shipped.MnistSubset, "--out", Unwritable(dir));
        Assert.Equal(1, r.Code);
        Assert.StartsWith("nabla: ", r.Err);
        Assert.Contains("--out", r.Err);
        Assert.DoesNotContain("epoch 1/1", r.Out);
    }

    [Fact]
    public void DemoIntoAnUnwritableFolderIsAnError()
    {
        using var dir = new TempDir();
        var r = Nabla("demo", "--out", Unwritable(dir));
        Assert.Equal(1, r.Code);
        Assert.Contains("nabla: ", r.Err);
    }

    [Theory]
    [InlineData("--html")]
    [InlineData("--dot")]
    public void GradIntoAnUnwritablePathIsAnError(string format)
    {
        using var dir = new TempDir();
        var r = Nabla("grad", "a*b", "a=3", "b=2", format, Path.Combine(Unwritable(dir), "g." + format[2..]));
        Assert.Equal(1, r.Code);
        Assert.Contains("nabla: ", r.Err);
    }

    [Fact]
    public void TrainStopsOnANonFiniteLossAndKeepsTheGoodCheckpoint()
    {
        using var dir = new TempDir();
        string[] common = ["train", "--epochs", "1", "--limit", "200", "--batch", "50", "--data", Shipped.MnistSubset, "--out", dir.Path, "--optimizer", "sgd"];
        var good = Nabla([.. common, "--lr", "0.01"]);
        Assert.True(good.Code == 0, good.Err);
        var checkpoint = File.ReadAllBytes(dir.File("model.ckpt"));

        var bad = Nabla([.. common, "--lr", "1e30"]);
        Assert.NotEqual(0, bad.Code);
        Assert.StartsWith("nabla: ", bad.Err);
        Assert.Contains("not finite", bad.Err);
        Assert.Contains("'", bad.Err); // names the loss node
        Assert.Equal(checkpoint, File.ReadAllBytes(dir.File("model.ckpt")));
        string metrics = File.ReadAllText(dir.File("metrics.json"));
        Assert.Contains("null", metrics);
        Assert.DoesNotContain("NaN", metrics);
        Assert.DoesNotContain("Infinity", metrics);
    }

    [Fact]
    public void MetricsWriteNonFiniteNumbersAsNull()
    {
        var log = new TrainingLog("mlp", "sgd", 0.1, 50, 1, "data", 10, 10, false,
            [new EpochRecord(1, double.NaN, 0.5, double.PositiveInfinity, 0.25, 1, 10, 0.1)]);
        string json = log.ToJson();
        Assert.DoesNotContain("NaN", json);
        Assert.Contains("\"train_loss\": null", json);
        var back = TrainingLog.FromJson(json);
        Assert.True(double.IsNaN(back.Epochs[0].TrainLoss));
        Assert.Equal(0.5, back.Epochs[0].TrainAccuracy);
    }
}
