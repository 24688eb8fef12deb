using System.Diagnostics;
using Nabla.Cli;

namespace Nabla.NN.Tests;

/// <summary>The conventions of the nabla command line: help, version, --opt=value, choices, suggestions, unwrapped output.</summary>
public class CliParsingTests
{
    private static (int Code, string Out, string Err) Nabla(params string[] args) => CliTests.Nabla(args);

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Theory]
    [InlineData("demo", "--out <DIR>", "[default: nabla-demo]")]
    [InlineData("grad", "<expression>", "--png <FILE>")]
    [InlineData("explain", "<expression>", "name=value")]
    [InlineData("train", "--optimizer <sgd|momentum|adam|rmsprop|adamw>", "(an integer ≥ 1) [default: 128]")]
    [InlineData("eval", "--checkpoint <FILE>", "--limit <N>")]
    public void EveryCommandHasHelp(string command, string shows, string alsoShows)
    {
        var r = Nabla(command, "--help");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains($"nabla {command}", r.Out);
        Assert.Contains(shows, r.Out);
        Assert.Contains(alsoShows, r.Out);
        Assert.Contains(command, Nabla("--help").Out);
    }

    [Fact]
    public void TrainHelpShowsEveryDefaultAndRange()
    {
        var lines = Lines(Nabla("train", "-h").Out);
        string Line(string option) => Assert.Single(lines, l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        Assert.Contains("[default: mlp]", Line("--model"));
        Assert.Contains("[default: 10 for mlp, 6 for cnn]", Line("--epochs"));
        Assert.Contains("(a number > 0) [default: 0.1 for sgd, 0.05 for momentum, 0.001 for the others]", Line("--lr"));
        Assert.Contains("(an integer ≥ 0) [default: 1]", Line("--seed"));
        Assert.Contains("[default: adam]", Line("--optimizer"));
    }

    [Fact]
    public void VersionIsTheAssemblysProductVersion()
    {
        var r = Nabla("--version");
        Assert.Equal(0, r.Code);
        string dll = typeof(CommandLine).Assembly.Location;
        Assert.Equal(FileVersionInfo.GetVersionInfo(dll).ProductVersion, r.Out.Trim());
    }

    [Fact]
    public void NablaAloneListsTheCommandsAndFails()
    {
        var r = Nabla();
        Assert.Equal(1, r.Code);
        Assert.All(new[] { "demo", "grad", "explain", "train", "eval" }, c => Assert.Contains(Environment.NewLine + "  " + c + " ", r.Out));
    }

    [Fact]
    public void OptionsTakeEqualsSignsAndChoicesIgnoreCase()
    {
        using var dir = new TempDir();
        var r = Nabla("train", "--epochs=1", "--limit=100", "--batch=50", "--optimizer", "AdamW", "--model=MLP", "--data", Shipped.MnistSubset, $"--out={dir.Path}");
        Assert.True(r.Code == 0, r.Err);
        var log = TrainingLog.FromJson(File.ReadAllText(dir.File("metrics.json")));
        Assert.Equal(("mlp", "adamw", 50, 100), (log.Model, log.Optimizer, log.Batch, log.TrainExamples));
        Assert.Single(log.Epochs);
    }

    [Theory]
    [InlineData("unknown command 'trian'. Did you mean 'train'?", "trian")]
    [InlineData("train: unknown option '--epoch'. Did you mean '--epochs'?", "train", "--epoch", "2")]
    [InlineData("train: --optimizer must be one of sgd, momentum, adam, rmsprop, adamw; got 'adma'. Did you mean 'adam'?", "train", "--optimizer", "adma")]
    [InlineData("train: --epochs must be an integer of at least 1; got '0'.", "train", "--epochs=0")]
    [InlineData("train: --lr must be a positive number; got '-1'.", "train", "--lr=-1")]
    [InlineData("train: --lr must be a positive number; got 'abc'.", "train", "--lr=abc")]
    [InlineData("train: --batch must be an integer of at least 1; got '2.5'.", "train", "--batch", "2.5")]
    [InlineData("train: --limit must be an integer of at least 1; got 'ten'.", "train", "--limit=ten")]
    [InlineData("train: Required argument missing for option: '--model'.", "train", "--model")]
    [InlineData("grad: unknown option '--pgn'. Did you mean '--png'?", "grad", "x*x", "x=1", "--pgn", "g.png")]
    public void MistakesAreNamedWithASuggestion(string message, params string[] args)
    {
        var r = Nabla(args);
        Assert.Equal(1, r.Code);
        Assert.StartsWith("nabla: ", r.Err);
        Assert.Contains("nabla: " + message, r.Err);
        Assert.Empty(r.Out);
    }

    [Fact]
    public void AFileThatCannotBeWrittenIsAMessage()
    {
        var r = Nabla("grad", "x*x", "x=3", "--dot", "/proc/no-such-folder/g.dot");
        Assert.Equal(1, r.Code);
        Assert.StartsWith("nabla: ", r.Err);
        Assert.Contains("/proc/no-such-folder", r.Err);
    }

    [Theory]
    [InlineData("trian", "train", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("--epoch", "--epochs", 1)]
    [InlineData("ca", "abc", 3)] // optimal string alignment: a swapped pair is not edited again
    public void EditDistanceMatchesHandCounts(string a, string b, int distance)
    {
        Assert.Equal(distance, Suggestions.Distance(a, b));
        Assert.Equal(distance, Suggestions.Distance(b, a));
    }

    [Fact]
    public void OutputThatIsNotATerminalIsNeverWrapped()
    {
        using var dir = new TempDir();
        string data = Path.Combine(dir.Path, new string('d', 60), "a-folder-name-long-enough-that-the-first-line-passes-any-terminal-width", "mnist");
        Directory.CreateDirectory(data);
        foreach (var file in Directory.GetFiles(Shipped.MnistSubset)) File.Copy(file, Path.Combine(data, Path.GetFileName(file)));

        var r = Nabla("train", "--epochs", "1", "--limit", "100", "--data", data, "--out", dir.File("out"));
        Assert.True(r.Code == 0, r.Err);
        var first = Lines(r.Out)[0];
        Assert.True(first.Length > 200, first);
        Assert.Equal($"nabla train --model mlp: 100 training and 100 test examples from {data}", first);
        Assert.Contains(Lines(r.Out), l => l.StartsWith("wrote ", StringComparison.Ordinal) && l.EndsWith("curves.png", StringComparison.Ordinal));
    }
}
