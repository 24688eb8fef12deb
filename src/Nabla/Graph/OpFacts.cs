namespace Nabla;

/// <summary>How an op can run inside a fused elementwise loop (see <see cref="Op.FusionRole"/>).</summary>
public enum FusionRole
{
    /// <summary>Never fused.</summary>
    None,
    /// <summary>Elementwise over one or two operands, through <see cref="IChunkOp"/>.</summary>
    Elementwise,
    /// <summary>Repeats input 0 to the output's shape: a fill when input 0 has one element, a copy when the sizes are equal.</summary>
    Broadcast,
    /// <summary>Sums input 0 down to the output's shape: a copy when the sizes are equal, a full reduction when the output has one element.</summary>
    Sum,
    /// <summary>Writes input 1 into the variable input 0 and to the output.</summary>
    Assign,
}

/// <summary>Where the value of a source node comes from (see <see cref="Op.SourceKind"/>).</summary>
public enum SourceKind
{
    /// <summary>Not a source: the op computes its value from its inputs.</summary>
    None,
    /// <summary>Fed with each run.</summary>
    Placeholder,
    /// <summary>Held by the graph (<see cref="Op.FixedValue"/>).</summary>
    Constant,
    /// <summary>Held by each session, starting from <see cref="Op.FixedValue"/>.</summary>
    Variable,
}
