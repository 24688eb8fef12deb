namespace Nabla.Examples;

/// <summary>
/// The graph g = a·b + c·d with e = a·b and f = c·d, at a=3, b=2, c=4, d=5: the worked example of
/// backpropagation that Nabla's tests, demo and pictures share.
/// </summary>
public sealed class ReferenceExample
{
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

    public Graph Graph { get; }
    public Node A { get; }
    public Node B { get; }
    public Node C { get; }
    public Node D { get; }
    public Node E { get; }
    public Node F { get; }
    public Node G { get; }

    /// <summary>a, b, c, d, e, f: every node the demo reports a gradient for.</summary>
    public Node[] Inputs => [A, B, C, D, E, F];

    /// <summary>a, b, c, d, e, f, g.</summary>
    public Node[] Values => [A, B, C, D, E, F, G];

    /// <summary>∂g/∂a, ∂g/∂b, ∂g/∂c, ∂g/∂d, ∂g/∂e, ∂g/∂f.</summary>
    public Node[] Gradients { get; }

    public Feeds Feeds(float a = 3, float b = 2, float c = 4, float d = 5) =>
        new() { [A] = a, [B] = b, [C] = c, [D] = d };
}
