using System.Diagnostics;
using System.Globalization;

namespace Nabla.Bench.Common;

/// <summary>Seconds per step: median, min and max over the repetitions; steps per repetition; managed bytes per step.</summary>
internal readonly record struct Measurement(double Median, double Min, double Max, int Steps, long Bytes);

/// <summary>
/// How every benchmark runner here times a step, so that figures of Nabla and of its peers compare: warm-up, a batch
/// of steps sized to about <see cref="BatchSeconds"/>, then the median and range of <see cref="Repetitions"/> batches.
/// </summary>
internal static class StepTimer
{
    public const int Repetitions = 9;
    public const double BatchSeconds = 0.15;
    private const int WarmSteps = 60;

    /// <summary>Warms up, sizes a batch from one probe step, counts managed bytes per step, then times the batches.</summary>
    public static Measurement Measure(Action step)
    {
        // Tiered JIT recompiles a method optimized only after about 30 calls: a kernel called once per step needs
        // that many steps before the timings mean anything (3 s at most for slow workloads).
        var warm = Stopwatch.StartNew();
        int warmSteps = 0;
        while (warmSteps < 3 || warm.Elapsed.TotalSeconds < 0.3 || (warmSteps < WarmSteps && warm.Elapsed.TotalSeconds < 3)) { step(); warmSteps++; }
        var probe = Stopwatch.StartNew();
        step();
        int steps = Math.Max(1, (int)(BatchSeconds / probe.Elapsed.TotalSeconds));

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

    /// <summary>Seconds as µs, ms or s with a unit.</summary>
    public static string Format(double seconds) => seconds switch
    {
        < 1e-3 => (seconds * 1e6).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        < 1 => (seconds * 1e3).ToString("F3", CultureInfo.InvariantCulture) + " ms",
        _ => seconds.ToString("F3", CultureInfo.InvariantCulture) + " s",
    };
}
