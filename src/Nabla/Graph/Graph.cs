namespace Nabla;

/// <summary>
/// A lazy computational graph: nodes are operations, edges carry tensors, and nothing is computed until a
/// <see cref="Session"/> runs it. Building is single-threaded; running is not.
/// </summary>
public sealed partial class Graph
{
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, int> _nameCounts = new(StringComparer.Ordinal);
    private readonly List<string> _scopes = [];
    private readonly Dictionary<(long Bits, DType DType), Node> _scalars = [];

    /// <summary>Every node of the graph, in the order they were added (each node's inputs come before it).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>A value fed when the session runs. A null shape accepts any shape; -1 marks an unknown dimension.</summary>
    public Node Placeholder(string name, Shape? shape = null, DType dtype = DType.Float32) =>
        Source(new PlaceholderOp(shape ?? Shape.Unknown, dtype), name, shape ?? Shape.Unknown, dtype);

    /// <summary>A fixed tensor (copied, so later changes to <paramref name="value"/> do not leak in).</summary>
    public Node Constant(Tensor value, string? name = null)
    {
        var copy = value.Clone();
        return Source(new ConstantOp(copy), name ?? "Const", copy.Shape, copy.DType);
    }

    /// <summary>A scalar constant of the given dtype. Unnamed scalars are shared: one node per value and dtype.</summary>
    public Node Scalar(double value, DType dtype = DType.Float32, string? name = null)
    {
        if (name is not null) return Constant(Tensor.Scalar(value, dtype), name);
        var key = (BitConverter.DoubleToInt64Bits(value), dtype);
        if (!_scalars.TryGetValue(key, out var node))
        {
            var scopes = _scopes.ToArray();
            _scopes.Clear();
            _scalars[key] = node = Constant(Tensor.Scalar(value, dtype));
            _scopes.AddRange(scopes);
        }
        return node;
    }

    /// <summary>A trainable value that lives in each session, starts at <paramref name="initialValue"/> and changes through Assign.</summary>
    public Node Variable(string name, Tensor initialValue)
    {
        var copy = initialValue.Clone();
        return Source(new VariableOp(copy), name, copy.Shape, copy.DType);
    }

    /// <summary>All variables in creation order.</summary>
    public IEnumerable<Node> Variables => _nodes.Where(n => n.Op.SourceKind == SourceKind.Variable);

    /// <summary>Prefixes the names of nodes built inside the returned scope: <c>using (g.NameScope("layer1")) ...</c></summary>
    public IDisposable NameScope(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/'))
            throw new InvalidGraphArgumentException($"Name scope '{name}' must be non-empty and contain no '/'.");
        _scopes.Add(name);
        return new ScopeExit(this, _scopes.Count);
    }

    /// <summary>The current scope prefix, e.g. "layer1/", or "".</summary>
    public string CurrentScope => _scopes.Count == 0 ? "" : string.Join("/", _scopes) + "/";

    private sealed class ScopeExit(Graph graph, int depth) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            graph._scopes.RemoveRange(depth - 1, graph._scopes.Count - depth + 1);
        }
    }

    private Node Source(Op op, string name, Shape shape, DType dtype)
    {
        var node = new Node(this, op, [], UniqueName(name), _nodes.Count) { Shape = shape, DType = dtype };
        _nodes.Add(node);
        return node;
    }

    /// <summary>Adds a node applying <paramref name="op"/> to <paramref name="inputs"/>, inferring its dtype and shape now.</summary>
    public Node Apply(Op op, Node[] inputs, string? name = null)
    {
        foreach (var input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Graph != this)
                throw new InvalidGraphArgumentException($"{op.Type}: input '{input.Name}' belongs to another graph. Build all nodes of one computation in one Graph.");
        }
        var node = new Node(this, op, inputs, UniqueName(name ?? op.Type), _nodes.Count);
        node.DType = op.InferDType(node);
        if (!op.SupportsDType(node.DType)) throw op.DTypeNotSupported(node.DType, node);
        node.Shape = op.InferShape(node, inputs.Select(n => n.Shape).ToArray());
        _nodes.Add(node);
        return node;
    }

    private string UniqueName(string name)
    {
        var full = CurrentScope + name;
        if (_nameCounts.TryGetValue(full, out int count))
        {
            string candidate;
            do candidate = $"{full}_{count++}"; while (_nameCounts.ContainsKey(candidate));
            _nameCounts[full] = count;
            _nameCounts[candidate] = 1;
            return candidate;
        }
        _nameCounts[full] = 1;
        return full;
    }
}
