using System.Diagnostics;

namespace Nabla.Execution;

/// <summary>
/// Time spent per kind of call (op type, attributes and input shapes; fused groups as "Fused[members] × length") over
/// the runs made while it is installed in <see cref="Session.Profile"/>. Each kind's figure is its median call time
/// times its call count, so calls that the OS preempted on a shared machine do not dominate it.
/// </summary>
internal sealed class StepProfile
{
    private readonly Dictionary<string, List<double>> _byType = [];
    private readonly Lock _lock = new();

    /// <summary>The kind of an op call: type, attributes and input shapes, e.g. "MatMul transposeB [64, 784] · [256, 784]".</summary>
    public static string Key(Op op, Tensor[] inputs) =>
        $"{op.Type} {op.Attributes}".TrimEnd() + " " + string.Join(" · ", inputs.Select(t => t?.Shape.ToString() ?? "(fused)"));

    /// <summary>The kind of a fused group's call: its members in order and its length, e.g. "Fused[Add, Relu] × 301056".</summary>
    public static string Key(FusedGroup group) =>
        $"Fused[{string.Join(", ", group.Members.Select(m => m.Op is Op op ? op.Type : m.Kind.ToString()))}] × {group.Length}";

    public void Add(string type, long startTimestamp)
    {
        double seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        lock (_lock)
        {
            if (!_byType.TryGetValue(type, out var samples)) _byType[type] = samples = [];
            samples.Add(seconds);
        }
    }

    /// <summary>Kinds of call by median call time × calls, largest first.</summary>
    public IReadOnlyList<(string Type, double Seconds, int Count)> Totals()
    {
        lock (_lock)
            return [.. _byType.Select(kv => (kv.Key, Median(kv.Value) * kv.Value.Count, kv.Value.Count)).OrderByDescending(t => t.Item2)];
    }

    private static double Median(List<double> samples)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
