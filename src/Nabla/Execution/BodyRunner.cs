using System.Collections.Concurrent;

namespace Nabla.Execution;

/// <summary>
/// Runs function bodies for a session's control-flow ops: one session per body graph, whose plan cache compiles a
/// body once per signature and reuses it on every iteration; runs may come from several threads at once.
/// </summary>
internal sealed class BodyRunner(bool fuseElementwise) : IFunctionRunner, IDisposable
{
    private readonly ConcurrentDictionary<Graph, Session> _sessions = new();

    public Tensor[] Run(FunctionBody body, ReadOnlySpan<Tensor> arguments)
    {
        var session = _sessions.GetOrAdd(body.Graph, g => new Session(g) { FuseElementwise = fuseElementwise });
        var feeds = new Feeds();
        for (int i = 0; i < arguments.Length; i++) feeds[body.Parameters[i]] = arguments[i];
        return session.Run(body.Results, feeds);
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        _sessions.Clear();
    }
}
