using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nabla.Bench.Common;
using Nabla.Execution;

namespace Nabla.Bench;

/// <summary>
/// Times the selected workloads (median and range of repeated batches of steps), reports GFLOP/s, the
/// fraction of the measured FMA peak and bytes allocated per step, and merges the rows into bench/RESULTS.md.
/// </summary>
internal static class Runner
{
    private const string NotesMarker = "<!-- notes below are kept when the runner rewrites this file -->";

    private sealed record Row(string Key, string Line);

    public static int Run(string[] selectors, TextWriter output)
    {
        var selected = Workloads.All.Where(w => selectors.Contains("all") || selectors.Any(s => w.Key.StartsWith(s, StringComparison.Ordinal))).ToList();
        if (selected.Count == 0)
        {
            output.WriteLine($"No workload matches '{string.Join(" ", selectors)}'. Use all, or a prefix of: {string.Join(", ", Workloads.All.Select(w => w.Key))}.");
            return 2;
        }
        var (peak, vector) = FmaPeak.Measure();
        output.WriteLine($"FMA peak (float32, {vector}, {Environment.ProcessorCount} cores): {peak:F0} GFLOP/s");
        double bandwidth = MemoryBandwidth.Measure();
        output.WriteLine($"Memory bandwidth (STREAM triad, {Environment.ProcessorCount} cores): {bandwidth:F1} GB/s");
        var peer = PeerResults.Read(PeerResults.DefaultPath);
        output.WriteLine(peer is null ? "No TorchSharp figures (bench/torchsharp-results.json): run bash bench/torchsharp.sh for them."
            : $"TorchSharp figures of {peer.Date} ({peer.Versions}, {peer.Cpu}) from bench/torchsharp-results.json");
        var rows = new List<Row>();
        foreach (var w in selected)
        {
            var m = StepTimer.Measure(w.Prepare());
            string load = BenchMachine.LoadAverage();
            var (torch, ratio) = Compare(peer, w.Key, m.Median);
            string gflops = w.Flops > 0 ? (w.Flops / m.Median / 1e9).ToString("F1", CultureInfo.InvariantCulture) : "";
            string frac = w.Flops > 0 ? (w.Flops / m.Median / 1e9 / peak).ToString("P0", CultureInfo.InvariantCulture) : "";
            string note = string.Join("; ", new[] { load.Length > 0 ? $"load average {load}" : "", w.Note?.Invoke() ?? "" }.Where(t => t.Length > 0));
            output.WriteLine($"{w.Title}: median {Time(m.Median)} (min {Time(m.Min)}, max {Time(m.Max)}, {StepTimer.Repetitions} reps of {m.Steps} steps)"
                + (gflops.Length > 0 ? $", {gflops} GFLOP/s = {frac} of peak" : "") + $", {m.Bytes:N0} B allocated/step"
                + (torch.Length > 0 ? $"; TorchSharp {torch}, {ratio}" : "") + (note.Length > 0 ? $"; {note}" : ""));
            rows.Add(new Row(w.Key, $"| `{w.Key}` | {w.Title} | {Time(m.Median)} | {Time(m.Min)} – {Time(m.Max)} | {gflops} | {frac} | {m.Bytes:N0} | {torch} | {ratio} | {w.Target} |"
                + (note.Length > 0 ? $" {note} |" : " |")));
        }
        WriteResults(rows, peak, vector, bandwidth, peer);
        return 0;
    }

    /// <summary>Runs one workload for about a second with per-step timing and prints time per op type.</summary>
    public static int Profile(string key, TextWriter output)
    {
        var w = Workloads.All.FirstOrDefault(w => w.Key == key);
        if (w is null) { output.WriteLine($"No workload '{key}'. Keys: {string.Join(", ", Workloads.All.Select(x => x.Key))}."); return 2; }
        var step = w.Prepare();
        StepTimer.Measure(step);
        var profile = new StepProfile();
        Session.Profile = profile;
        int runs = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < 1 || runs < 3) { step(); runs++; }
        Session.Profile = null;
        output.WriteLine($"{w.Title}: {runs} runs, {Time(sw.Elapsed.TotalSeconds / runs)} per run (timed)");
        foreach (var (type, seconds, count) in profile.Totals())
            output.WriteLine($"  {Time(seconds / runs),12} {count / runs,5}×  {type}");
        return 0;
    }

    /// <summary>
    /// The lowest time per step over many short batches for <paramref name="seconds"/>, after 1.5 s of warm-up: noise
    /// from other processes only ever adds time, so on a shared machine the minimum compares builds more steadily
    /// than a median. Also prints the 10th percentile and the median.
    /// </summary>
    public static int Floor(string key, double seconds, TextWriter output)
    {
        var w = Workloads.All.FirstOrDefault(w => w.Key == key);
        if (w is null) { output.WriteLine($"No workload '{key}'. Keys: {string.Join(", ", Workloads.All.Select(x => x.Key))}."); return 2; }
        var step = w.Prepare();
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1.5) step();
        var probe = Stopwatch.StartNew();
        step();
        int steps = Math.Max(1, (int)(0.002 / probe.Elapsed.TotalSeconds)); // batches of about 2 ms
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 10)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) step();
            times.Add(sw.Elapsed.TotalSeconds / steps);
        }
        times.Sort();
        output.WriteLine($"{w.Key}: min {Time(times[0])}, 10th percentile {Time(times[times.Count / 10])}, median {Time(times[times.Count / 2])} over {times.Count} batches of {steps} steps");
        return 0;
    }

    private static string Time(double seconds) => StepTimer.Format(seconds);

    /// <summary>TorchSharp's median for the workload, and how many times faster Nabla's median is; empty when not measured.</summary>
    private static (string Torch, string Ratio) Compare(PeerResults? peer, string key, double median)
    {
        if (peer is null || !peer.Results.TryGetValue(key, out var torch)) return ("", "");
        double speedUp = torch.Median / median;
        return (Time(torch.Median), speedUp >= 1 ? $"{speedUp.ToString("F2", CultureInfo.InvariantCulture)}× faster" : $"{(1 / speedUp).ToString("F2", CultureInfo.InvariantCulture)}× slower");
    }

    /// <summary>Rewrites bench/RESULTS.md: new rows replace those with the same key, other rows and the notes stay.</summary>
    private static void WriteResults(List<Row> rows, double peak, string vector, double bandwidth, PeerResults? peer)
    {
        var path = Path.Combine(BenchMachine.RepositoryRoot(), "bench", "RESULTS.md");
        var kept = new Dictionary<string, string>();
        string notes = "";
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path);
            int at = text.IndexOf(NotesMarker, StringComparison.Ordinal);
            if (at >= 0) notes = text[(at + NotesMarker.Length)..].TrimStart('\n');
            foreach (var line in (at >= 0 ? text[..at] : text).Split('\n'))
                if (line.StartsWith("| `", StringComparison.Ordinal)) kept[line[3..line.IndexOf('`', 3)]] = line;
        }
        foreach (var r in rows) kept[r.Key] = r.Line;
        var order = Workloads.All.Select(w => w.Key).ToList();

        var sb = new StringBuilder();
        sb.AppendLine("# Nabla benchmark results");
        sb.AppendLine();
        sb.AppendLine("Written by `dotnet run -c Release --project bench/Nabla.Bench -- all` (or a subset: `-- matmul`, `-- ref`, ...).");
        sb.AppendLine($"Last run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {BenchMachine.Description()}; measured FMA peak {peak:F0} GFLOP/s float32 ({vector}, all cores), memory bandwidth {bandwidth:F1} GB/s (STREAM triad, all cores).");
        sb.AppendLine($"Each figure: median and min–max over {StepTimer.Repetitions} repetitions of a batch of steps (≈ {StepTimer.BatchSeconds} s each), after warm-up.");
        sb.AppendLine("Bytes are managed bytes allocated on the calling thread per step.");
        sb.AppendLine(peer is null ? "TorchSharp: not measured here (run `bash bench/torchsharp.sh`)."
            : $"TorchSharp: {peer.Versions}, measured {peer.Date} on {peer.Cpu} by `bash bench/torchsharp.sh` with the same timing (bench/torchsharp-results.json).");
        sb.AppendLine();
        sb.AppendLine("| key | workload | median | min – max | GFLOP/s | of FMA peak | bytes/step | TorchSharp | Nabla vs TorchSharp | target | notes |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var key in kept.Keys.OrderBy(k => order.IndexOf(k) is var i && i < 0 ? int.MaxValue : i)) sb.AppendLine(kept[key]);
        sb.AppendLine();
        sb.AppendLine(NotesMarker);
        sb.Append(notes);

        var temp = path + ".tmp";
        File.WriteAllText(temp, sb.ToString());
        File.Move(temp, path, overwrite: true);
    }
}
