using System.Diagnostics;

namespace Nabla;

/// <summary>Time spent per op type (fused groups as "Fused[n]") over the runs made while it is installed in <see cref="Session.Profile"/>.</summary>
internal sealed class StepProfile
{
    private readonly Dictionary<string, (double Seconds, int Count)> _byType = [];
    private readonly Lock _lock = new();

    public void Add(string type, long startTimestamp)
    {
        double seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        lock (_lock)
        {
            _byType.TryGetValue(type, out var t);
            _byType[type] = (t.Seconds + seconds, t.Count + 1);
        }
    }

    /// <summary>Op types by total time, largest first.</summary>
    public IReadOnlyList<(string Type, double Seconds, int Count)> Totals()
    {
        lock (_lock) return [.. _byType.Select(kv => (kv.Key, kv.Value.Seconds, kv.Value.Count)).OrderByDescending(t => t.Seconds)];
    }
}
