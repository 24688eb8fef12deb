using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

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
        var feeds = new Feeds();
        for (int i = 0; i < arguments.Length; i++) feeds[body.Parameters[i]] = arguments[i];
        return SessionFor(body).Run(body.Results, feeds);
    }

    public void Run(FunctionBody body, ReadOnlySpan<Tensor> arguments, Tensor[] results)
    {
        // One Feeds per body and thread, emptied after each call: an iteration allocates no dictionary (a body
        // never runs inside itself, so a thread uses each one for one call at a time).
        var cache = t_feeds ??= new();
        var feeds = cache.GetValue(body, _ => new Feeds());
        try
        {
            for (int i = 0; i < arguments.Length; i++) feeds[body.Parameters[i]] = arguments[i];
            SessionFor(body).Run(body.Results, feeds, results);
        }
        finally
        {
            feeds.Clear();
        }
    }

    [ThreadStatic] private static ConditionalWeakTable<FunctionBody, Feeds>? t_feeds;

    // TryGetValue first: the factory lambda captures this, so GetOrAdd alone would allocate a closure per call.
    private Session SessionFor(FunctionBody body) =>
        _sessions.TryGetValue(body.Graph, out var session) ? session : _sessions.GetOrAdd(body.Graph, g => new Session(g) { FuseElementwise = fuseElementwise });

    public void Dispose()
    {
        foreach (var session in _sessions.Values) session.Dispose();
        _sessions.Clear();
    }
}
