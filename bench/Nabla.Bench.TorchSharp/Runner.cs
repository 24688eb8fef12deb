using System.Globalization;
using Nabla.Bench.Common;
using TorchSharp;

namespace Nabla.Bench.TorchSharp;

/// <summary>
/// Times the selected workloads with <see cref="StepTimer"/>, as the Nabla runner does, prints one line per workload
/// and merges the figures into bench/torchsharp-results.json, where the Nabla runner reads them.
/// </summary>
internal static class Runner
{
    private const int Threads = 2;

    public static int Run(string[] selectors, TextWriter output)
    {
        var selected = Workloads.All.Where(w => selectors.Contains("all") || selectors.Any(s => w.Key.StartsWith(s, StringComparison.Ordinal))).ToList();
        if (selected.Count == 0)
        {
            output.WriteLine($"No workload matches '{string.Join(" ", selectors)}'. Use all, or a prefix of: {string.Join(", ", Workloads.All.Select(w => w.Key))}.");
            return 2;
        }
        torch.set_num_threads(Threads);
        string torchSharp = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        output.WriteLine($"TorchSharp {torchSharp}, libtorch {torch.__version__}, {torch.get_num_threads()} threads, CPU; {BenchMachine.Description()}");

        var results = new List<(string Key, Measurement M)>();
        foreach (var w in selected)
        {
            var m = StepTimer.Measure(w.Prepare());
            string load = BenchMachine.LoadAverage();
            string gflops = w.Flops > 0 ? $", {(w.Flops / m.Median / 1e9).ToString("F1", CultureInfo.InvariantCulture)} GFLOP/s" : "";
            output.WriteLine($"{w.Title}: median {StepTimer.Format(m.Median)} (min {StepTimer.Format(m.Min)}, max {StepTimer.Format(m.Max)}, {StepTimer.Repetitions} reps of {m.Steps} steps)"
                + gflops + $", {m.Bytes:N0} B managed allocated/step" + (load.Length > 0 ? $"; load average {load}" : ""));
            results.Add((w.Key, m));
        }
        PeerResults.Merge(PeerResults.DefaultPath, BenchMachine.CpuModel(), Environment.ProcessorCount, torch.__version__, torchSharp,
            torch.get_num_threads(), results, Workloads.All.Select(w => w.Key).ToList());
        return 0;
    }
}
