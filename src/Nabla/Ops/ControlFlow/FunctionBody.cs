namespace Nabla;

/// <summary>
/// A function as a subgraph: placeholders of a body graph that stand for its parameters, and the nodes it
/// returns. Control-flow ops hold function bodies and run them through an <see cref="IFunctionRunner"/>.
/// </summary>
public sealed class FunctionBody
{
    internal FunctionBody(Graph graph, Node[] parameters, Node[] results)
    {
        Graph = graph;
        Parameters = parameters;
        Results = results;
    }

    /// <summary>The body graph that holds the function's nodes.</summary>
    public Graph Graph { get; }

    /// <summary>The placeholders fed with the arguments, in order.</summary>
    public IReadOnlyList<Node> Parameters { get; }

    /// <summary>The nodes whose values the function returns, in order.</summary>
    public IReadOnlyList<Node> Results { get; }

    /// <summary>The results' shapes for these parameter shapes, by each body op's shape rule.</summary>
    internal Shape[] InferShapes(Shape[] parameterShapes)
    {
        var shapes = new Dictionary<Node, Shape>();
        for (int i = 0; i < Parameters.Count; i++) shapes[Parameters[i]] = parameterShapes[i];
        var result = new Shape[Results.Count];
        for (int i = 0; i < result.Length; i++) result[i] = ShapeOf(Results[i], shapes);
        return result;
    }

    private static Shape ShapeOf(Node node, Dictionary<Node, Shape> shapes)
    {
        if (shapes.TryGetValue(node, out var known)) return known;
        // Walk the inputs without recursion: bodies of long unrolled chains would overflow the stack.
        var stack = new Stack<Node>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Peek();
            if (shapes.ContainsKey(n)) { stack.Pop(); continue; }
            bool ready = true;
            foreach (var input in n.InputArray)
                if (!shapes.ContainsKey(input)) { ready = false; stack.Push(input); }
            if (!ready) continue;
            stack.Pop();
            shapes[n] = n.Inputs.Count == 0 ? n.Shape : n.Op.InferShape(n, [.. n.InputArray.Select(i => shapes[i])]);
        }
        return shapes[node];
    }
}
