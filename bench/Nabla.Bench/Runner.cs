using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Nabla.Bench;

/// <summary>
/// Times the selected workloads (median and range of repeated batches of steps), reports GFLOP/s, the
/// fraction of the measured FMA peak and bytes allocated per step, and merges the rows into bench/RESULTS.md.
/// </summary>
internal static class Runner
{
    private const int Repetitions = 9;
    private const double BatchSeconds = 0.15;
    private const int WarmSteps = 60;
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
        var rows = new List<Row>();
        foreach (var w in selected)
        {
            var step = w.Prepare();
            var m = Measure(step);
            string load = LoadAverage();
            string gflops = w.Flops > 0 ? (w.Flops / m.Median / 1e9).ToString("F1", CultureInfo.InvariantCulture) : "";
            string frac = w.Flops > 0 ? (w.Flops / m.Median / 1e9 / peak).ToString("P0", CultureInfo.InvariantCulture) : "";
            string note = string.Join("; ", new[] { load.Length > 0 ? $"load average {load}" : "", w.Note?.Invoke() ?? "" }.Where(t => t.Length > 0));
            output.WriteLine($"{w.Title}: median {Time(m.Median)} (min {Time(m.Min)}, max {Time(m.Max)}, {Repetitions} reps of {m.Steps} steps)"
                + (gflops.Length > 0 ? $", {gflops} GFLOP/s = {frac} of peak" : "") + $", {m.Bytes:N0} B allocated/step" + (note.Length > 0 ? $"; {note}" : ""));
            rows.Add(new Row(w.Key, $"| `{w.Key}` | {w.Title} | {Time(m.Median)} | {Time(m.Min)} – {Time(m.Max)} | {gflops} | {frac} | {m.Bytes:N0} | {w.Torch} | {w.Target} |"
                + (note.Length > 0 ? $" {note} |" : " |")));
        }
        WriteResults(rows, peak, vector);
        return 0;
    }

    /// <summary>Runs one workload for about a second with per-step timing and prints time per op type.</summary>
    public static int Profile(string key, TextWriter output)
    {
        var w = Workloads.All.FirstOrDefault(w => w.Key == key);
        if (w is null) { output.WriteLine($"No workload '{key}'. Keys: {string.Join(", ", Workloads.All.Select(x => x.Key))}."); return 2; }
        var step = w.Prepare();
        Measure(step);
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

    private readonly record struct Measurement(double Median, double Min, double Max, int Steps, long Bytes);

    /// <summary>Warms up, sizes a batch to about 0.15 s, then times <see cref="Repetitions"/> batches.</summary>
    private static Measurement Measure(Action step)
    {
        // Tiered JIT recompiles a method optimized only after about 30 calls: a kernel called once per step needs
        // that many steps before the timings mean anything (3 s at most for slow workloads).
        var warm = Stopwatch.StartNew();
        int warmSteps = 0;
        while (warmSteps < 3 || warm.Elapsed.TotalSeconds < 0.3 || (warmSteps < WarmSteps && warm.Elapsed.TotalSeconds < 3)) { step(); warmSteps++; }
        var probe = Stopwatch.StartNew();
        step();
        double perStep = probe.Elapsed.TotalSeconds;
        int steps = Math.Max(1, (int)(BatchSeconds / perStep));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++) step();
        long bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / steps;

        var times = new double[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++) step();
            times[r] = sw.Elapsed.TotalSeconds / steps;
        }
        Array.Sort(times);
        return new Measurement(times[Repetitions / 2], times[0], times[^1], steps, bytes);
    }

    /// <summary>The one-minute load average (Linux), to judge how shared the machine was; empty elsewhere.</summary>
    private static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : ""; }
        catch (IOException) { return ""; }
    }

    private static string Time(double seconds) => seconds switch
    {
        < 1e-3 => (seconds * 1e6).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        < 1 => (seconds * 1e3).ToString("F3", CultureInfo.InvariantCulture) + " ms",
        _ => seconds.ToString("F3", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>Rewrites bench/RESULTS.md: new rows replace those with the same key, other rows and the notes stay.</summary>
    private static void WriteResults(List<Row> rows, double peak, string vector)
    {
        var path = Path.Combine(RepositoryRoot(), "bench", "RESULTS.md");
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
        sb.AppendLine($"Last run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine()}; measured FMA peak {peak:F0} GFLOP/s float32 ({vector}, all cores).");
        sb.AppendLine($"Each figure: median and min–max over {Repetitions} repetitions of a batch of steps (≈ {BatchSeconds} s each), after warm-up.");
        sb.AppendLine("Bytes are managed bytes allocated on the calling thread per step. TorchSharp: 2.10 (libtorch + MKL), 2 threads, same kind of machine.");
        sb.AppendLine();
        sb.AppendLine("| key | workload | median | min – max | GFLOP/s | of FMA peak | bytes/step | TorchSharp | target | notes |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var key in kept.Keys.OrderBy(k => order.IndexOf(k) is var i && i < 0 ? int.MaxValue : i)) sb.AppendLine(kept[key]);
        sb.AppendLine();
        sb.AppendLine(NotesMarker);
        sb.Append(notes);

        var temp = path + ".tmp";
        File.WriteAllText(temp, sb.ToString());
        File.Move(temp, path, overwrite: true);
    }

    private static string Machine()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            var name = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (name is not null) cpu = name[(name.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
