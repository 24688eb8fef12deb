namespace Nabla;

/// <summary>Options of a <see cref="Session"/>.</summary>
public sealed record SessionOptions
{
    /// <summary>
    /// Check every op's output for NaN and ±∞ as it is computed and throw <see cref="NonFiniteValueException"/> at
    /// the first op whose output holds one (like tf.debugging.enable_check_numerics). Plans are then built without
    /// elementwise fusion, so that every op's output can be checked. Off by default; off, it costs nothing.
    /// </summary>
    public bool CheckNumerics { get; init; }

    /// <summary>
    /// How many compiled plans (one per signature: fetches, fed nodes, fed shapes) the session keeps; the least
    /// recently used is dropped when a new one would exceed it. Each plan holds its buffers, so a loop over many
    /// batch sizes would otherwise grow without bound. Default 64; at least 1.
    /// </summary>
    public int PlanCacheCapacity { get; init; } = 64;
}
