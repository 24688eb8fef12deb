namespace Nabla.Examples;

/// <summary>
/// The graph g = a·b + c·d with e = a·b and f = c·d, at a=3, b=2, c=4, d=5: the worked example of
/// backpropagation that Nabla's tests, demo and pictures share.
/// </summary>
public sealed class ReferenceExample
{
    /// <summary>Builds the graph g = a·b + c·d and the gradient nodes of g with respect to a, b, c, d, e and f.</summary>
    public ReferenceExample()
    {
        Graph = new Graph();
        A = Graph.Placeholder("a"); B = Graph.Placeholder("b");
        C = Graph.Placeholder("c"); D = Graph.Placeholder("d");
        E = Graph.Apply(new MulOp(), [A, B], "e");
        F = Graph.Apply(new MulOp(), [C, D], "f");
        G = Graph.Apply(new AddOp(), [E, F], "g");
        Gradients = Graph.Gradients(G, Inputs).Select(n => n!).ToArray();
    }

    /// <summary>The graph holding the example and its gradient nodes.</summary>
    public Graph Graph { get; }
    /// <summary>The placeholder a (3 in <see cref="Feeds"/>).</summary>
    public Node A { get; }
    /// <summary>The placeholder b (2 in <see cref="Feeds"/>).</summary>
    public Node B { get; }
    /// <summary>The placeholder c (4 in <see cref="Feeds"/>).</summary>
    public Node C { get; }
    /// <summary>The placeholder d (5 in <see cref="Feeds"/>).</summary>
    public Node D { get; }
    /// <summary>e = a·b.</summary>
    public Node E { get; }
    /// <summary>f = c·d.</summary>
    public Node F { get; }
    /// <summary>g = e + f, the output.</summary>
    public Node G { get; }

    /// <summary>a, b, c, d, e, f: every node the demo reports a gradient for.</summary>
    public Node[] Inputs => [A, B, C, D, E, F];

    /// <summary>a, b, c, d, e, f, g.</summary>
    public Node[] Values => [A, B, C, D, E, F, G];

    /// <summary>∂g/∂a, ∂g/∂b, ∂g/∂c, ∂g/∂d, ∂g/∂e, ∂g/∂f.</summary>
    public Node[] Gradients { get; }

    /// <summary>Values for a, b, c and d: by default the worked example's 3, 2, 4 and 5.</summary>
    public Feeds Feeds(float a = 3, float b = 2, float c = 4, float d = 5) =>
        new() { [A] = a, [B] = b, [C] = c, [D] = d };
}
