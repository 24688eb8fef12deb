namespace Nabla;

/// <summary>
/// A node of the graph: one operation applied to input nodes, producing one tensor when a session runs it.
/// Nodes are immutable; the graph assigns ids in creation order, which is a topological order.
/// </summary>
public sealed partial class Node
{
    private readonly Node[] _inputs;

    internal Node(Graph graph, Op op, Node[] inputs, string name, int id)
    {
        Graph = graph;
        Op = op;
        _inputs = inputs;
        Name = name;
        Id = id;
        Shape = Shape.Unknown;
        DType = inputs.Length > 0 ? inputs[0].DType : DType.Float32;
    }

    /// <summary>The graph this node belongs to.</summary>
    public Graph Graph { get; }
    /// <summary>The operation this node applies to its inputs.</summary>
    public Op Op { get; }
    /// <summary>The nodes whose outputs this node takes, in the op's order.</summary>
    public IReadOnlyList<Node> Inputs => _inputs;
    internal Node[] InputArray => _inputs;

    /// <summary>Unique within the graph, with name scopes as prefixes: "layer1/MatMul".</summary>
    public string Name { get; }

    /// <summary>Creation index; inputs always have smaller ids.</summary>
    public int Id { get; }

    /// <summary>The shape known when the node was built; -1 marks dims known only when the session runs.</summary>
    public Shape Shape { get; internal set; }

    /// <summary>The element type of the node's output.</summary>
    public DType DType { get; internal set; }

    /// <summary>The op's type name, e.g. "MatMul".</summary>
    public string OpType => Op.Type;

    /// <summary>The op type, name, shape and dtype, e.g. <c>MatMul 'logits' [?, 10] float32</c>.</summary>
    public override string ToString() => $"{Op.Type} '{Name}' {Shape} {DType.ToString().ToLowerInvariant()}";
}
