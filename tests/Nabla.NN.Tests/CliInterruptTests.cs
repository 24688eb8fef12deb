using System.Diagnostics;
using System.Runtime.InteropServices;
using Nabla.Cli;

namespace Nabla.NN.Tests;

/// <summary>Ctrl-C (SIGINT) sent to a real <c>nabla train</c> process: it saves what it has, then exits with 130.</summary>
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
        string cli = Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { cli, "train", "--epochs", "10000", "--limit", "500", "--batch", "50", "--data", Shipped.MnistSubset, "--out", dir.Path })
            start.ArgumentList.Add(a);
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
            Assert.Equal(0, kill(process.Id, SigInt));
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == CtrlC.ExitCode, $"exit code {process.ExitCode}: {await stderr}");
            Assert.Contains("stopped early by Ctrl-C; the checkpoint holds the weights after the last batch run.", output);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }

        var log = TrainingLog.FromJson(File.ReadAllText(dir.File("metrics.json")));
        Assert.True(log.Interrupted);
        Assert.InRange(log.Epochs.Count, 1, 9999);
        // The checkpoint holds the weights the last recorded test accuracy was measured with.
        var eval = CliTests.Nabla("eval", "--checkpoint", dir.File("model.ckpt"), "--data", Shipped.MnistSubset, "--limit", "500");
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains($"test accuracy {log.Epochs[^1].TestAccuracy:P2}", eval.Out);
    }
}
