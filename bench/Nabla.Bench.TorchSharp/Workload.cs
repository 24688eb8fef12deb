namespace Nabla.Bench.TorchSharp;

/// <summary>One benchmark workload: <see cref="Prepare"/> builds the tensors once and returns one step to time.</summary>
internal sealed class Workload
{
    /// <summary>The key shared with Nabla.Bench (matmul256, mlp64, ...), used for selection and in the results file.</summary>
    public required string Key { get; init; }

    /// <summary>The title printed in front of the figures, the same as Nabla.Bench's.</summary>
    public required string Title { get; init; }

    /// <summary>Floating-point operations per step, with the formulas of Nabla.Bench; 0 when not meaningful.</summary>
    public double Flops { get; init; }

    /// <summary>Builds the workload once and returns one step.</summary>
    public required Func<Action> Prepare { get; init; }
}
