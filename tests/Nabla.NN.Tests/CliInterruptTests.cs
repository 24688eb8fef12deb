using System.Diagnostics;
using System.Runtime.InteropServices;
using Nabla.Cli;

namespace Nabla.NN.Tests;

/// <summary>Ctrl-C (SIGINT) sent to a real <c>nabla train</c> process: it saves what it has, exits with 130, and resumes bit for bit.</summary>
public class CliInterruptTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigInt = 2;

    [Fact]
    public async Task CtrlCSavesAndExitsWith130()
    {
        if (OperatingSystem.IsWindows()) return; // SIGINT is a Unix signal; Windows delivers Ctrl-C through the console only
        using var dir = new TempDir();
        var (code, output) = await TrainAndInterruptAfterFirstEpoch("--epochs", "10000", "--limit", "500", "--batch", "50", "--data", Shipped.MnistSubset, "--out", dir.Path);
        Assert.Equal(CtrlC.ExitCode, code);
        Assert.Contains("stopped early by Ctrl-C; the checkpoint holds the weights after the last batch run.", output);

        var log = TrainingLog.FromJson(File.ReadAllText(dir.File("metrics.json")));
        Assert.True(log.Interrupted);
        Assert.InRange(log.Epochs.Count, 1, 9999);
        // The checkpoint holds the weights the last recorded test accuracy was measured with.
        var eval = CliTests.Nabla("eval", "--checkpoint", dir.File("model.ckpt"), "--data", Shipped.MnistSubset, "--limit", "500");
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains($"test accuracy {log.Epochs[^1].TestAccuracy:P2}", eval.Out);
    }

    [Fact]
    public async Task RunStoppedByCtrlCAndResumedEndsWithTheSameBytesAsAnUninterruptedRun()
    {
        if (OperatingSystem.IsWindows()) return;
        using var straight = new TempDir();
        using var stopped = new TempDir();
        string[] settings = ["--epochs", "4", "--limit", "4000", "--batch", "50", "--optimizer", "adam", "--data", Shipped.MnistSubset, "--seed", "9"];
        var full = CliTests.Nabla(["train", .. settings, "--out", straight.Path]);
        Assert.True(full.Code == 0, full.Err);

        // Wherever the signal lands (mid-epoch included), resuming must replay exactly what the uninterrupted run did.
        var (code, _) = await TrainAndInterruptAfterFirstEpoch([.. settings, "--out", stopped.Path]);
        Assert.Equal(CtrlC.ExitCode, code); // three epochs of 4,000 examples remain when the signal is sent
        var resumed = CliTests.Nabla("train", "--resume", stopped.Path);
        Assert.True(resumed.Code == 0, resumed.Err);

        foreach (var file in new[] { "model.ckpt", "resume.ckpt", "model.nabla" })
            Assert.True(File.ReadAllBytes(straight.File(file)).SequenceEqual(File.ReadAllBytes(stopped.File(file))),
                $"{file} after Ctrl-C and --resume differs from the uninterrupted run's");
    }

    /// <summary>Starts <c>nabla train</c> as a child process, sends SIGINT once its first epoch line appears, and waits for it to exit.</summary>
    private static async Task<(int Code, IReadOnlyCollection<string> Output)> TrainAndInterruptAfterFirstEpoch(params string[] args)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { cli, "train" }.Concat(args)) start.ArgumentList.Add(a);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstEpoch = new TaskCompletionSource();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.StartsWith("epoch 1/", StringComparison.Ordinal)) firstEpoch.TrySetResult();
        };
        process.Start();
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // Wait until a whole epoch has run, so that the run is inside its training loop.
            await firstEpoch.Task.WaitAsync(TimeSpan.FromMinutes(2));
            kill(process.Id, SigInt); // fails harmlessly when the run has just finished
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode is 0 or CtrlC.ExitCode, $"exit code {process.ExitCode}: {await stderr}");
            return (process.ExitCode, output);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
