namespace Nabla;

public sealed partial class Graph
{
    private readonly Dictionary<Node, Node> _captureOf = [];
    private readonly List<(Node Outer, Node Inner)> _captures = [];

    /// <summary>The graph this one is the body of (a control-flow branch, loop or scan step); null for a top-level graph.</summary>
    internal Graph? Parent { get; private init; }

    /// <summary>Outer nodes used inside this body, each with the placeholder that stands for it here, in first-use order.</summary>
    internal IReadOnlyList<(Node Outer, Node Inner)> Captures => _captures;

    private Graph? _building;

    /// <summary>The body whose lambda is running now, innermost first; this graph when none is.</summary>
    internal Graph Innermost
    {
        get
        {
            var g = this;
            while (g._building is { } b) g = b;
            return g;
        }
    }

    /// <summary>Marks <paramref name="body"/> as being built until disposed, so control flow started inside its lambda nests in it.</summary>
    internal IDisposable Building(Graph body)
    {
        _building = body;
        return new BuildingExit(this);
    }

    private sealed class BuildingExit(Graph graph) : IDisposable
    {
        public void Dispose() => graph._building = null;
    }

    /// <summary>A new, empty body graph whose nodes may use this graph's nodes (they are captured as placeholders).</summary>
    internal Graph CreateBody() => new() { Parent = this };

    /// <summary>Whether this graph is <paramref name="ancestor"/> or a body nested inside it.</summary>
    internal bool IsInside(Graph ancestor)
    {
        for (var g = this; g is not null; g = g.Parent)
            if (g == ancestor) return true;
        return false;
    }

    /// <summary>The node of this graph that stands for <paramref name="outer"/>, a node of an enclosing graph: itself here, or a placeholder fed with its value.</summary>
    internal Node Capture(Node outer, string usedBy)
    {
        if (outer.Graph == this) return outer;
        if (Parent is null)
            throw new InvalidGraphArgumentException($"{usedBy}: input '{outer.Name}' belongs to another graph. Build all nodes of one computation in one Graph (a control-flow body may use nodes of the graphs around it).");
        var viaParent = Parent.Capture(outer, usedBy);
        if (_captureOf.TryGetValue(viaParent, out var inner)) return inner;
        var scopes = _scopes.ToArray();
        _scopes.Clear();
        inner = Source(new PlaceholderOp(viaParent.Shape, viaParent.DType), "captured/" + viaParent.Name.Replace('/', '_'), viaParent.Shape, viaParent.DType);
        _scopes.AddRange(scopes);
        _captureOf[viaParent] = inner;
        _captures.Add((viaParent, inner));
        return inner;
    }
}
