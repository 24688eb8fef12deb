namespace Nabla;

/// <summary>
/// Runs a function body (a subgraph built by a branch, loop body or scan step) on argument tensors. The session
/// implements it, compiling one plan per body and argument shapes and reusing it on every call; calls may come
/// from several threads at once.
/// </summary>
public interface IFunctionRunner
{
    /// <summary>Runs <paramref name="body"/> with its parameters bound to <paramref name="arguments"/> (in order) and returns its results.</summary>
    Tensor[] Run(FunctionBody body, ReadOnlySpan<Tensor> arguments);
}
