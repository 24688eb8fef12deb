namespace Nabla.Bench;

/// <summary>
/// One benchmark workload: a prepared step (graph built, session warm) plus what the runner reports
/// next to it: floating-point operations per step (0 when not meaningful) and the target.
/// </summary>
internal sealed class Workload
{
    public required string Key { get; init; }
    public required string Title { get; init; }
    /// <summary>Floating-point operations per step, for GFLOP/s; 0 where not meaningful.</summary>
    public double Flops { get; init; }
    public required string Target { get; init; }
    /// <summary>Builds the graph and session and returns one step to time.</summary>
    public required Func<Action> Prepare { get; init; }
    /// <summary>Extra facts measured while preparing (e.g. plan compile time), appended to the report.</summary>
    public Func<string>? Note { get; init; }
}
