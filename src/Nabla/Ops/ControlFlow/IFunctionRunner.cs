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

    /// <summary>
    /// Runs <paramref name="body"/> like <see cref="Run(FunctionBody, ReadOnlySpan{Tensor})"/> but writes its results into
    /// <paramref name="results"/> (one tensor per result, of its shape and dtype, none of them an argument), so a loop
    /// that passes the same tensors every iteration allocates nothing per iteration. By default it copies from Run.
    /// </summary>
    void Run(FunctionBody body, ReadOnlySpan<Tensor> arguments, Tensor[] results)
    {
        var values = Run(body, arguments);
        for (int i = 0; i < results.Length; i++) values[i].CopyTo(results[i]);
    }
}
