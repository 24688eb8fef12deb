using System.Numerics;

namespace Nabla.Samples.CustomGradients;

/// <summary>
/// A new op with a kernel of its own: y = x / (1 + |x|). Shape rule: the input's. Forward: one loop over the
/// tensors' spans (no allocation). dy/dx = 1 / (1 + |x|)², which the VJP (dy·f′) and JVP (t·f′) build from graph
/// ops, so the op has derivatives of every order.
/// </summary>
public sealed class SoftsignOp : Op
{
    /// <summary>The op's type name, shown in pictures and errors.</summary>
    public override string Type => "Softsign";

    /// <summary>The output has the input's shape.</summary>
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    /// <summary>y[i] = x[i] / (1 + |x[i]|), for float and double alike.</summary>
    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        ReadOnlySpan<T> x = inputs[0].AsSpan<T>();
        Span<T> y = output.AsSpan<T>();
        for (int i = 0; i < x.Length; i++) y[i] = x[i] / (T.One + T.Abs(x[i]));
    }

    /// <summary>f′(x) = 1 / (1 + |x|)² as a node.</summary>
    private static Node Derivative(Node x)
    {
        var d = 1.0 + x.Abs();
        return 1.0 / (d * d);
    }

    /// <summary>dy · f′(x).</summary>
    public override Node?[] Vjp(Node node, Node dy) => [dy * Derivative(node.Inputs[0])];

    /// <summary>t · f′(x).</summary>
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : tangents[0]! * Derivative(node.Inputs[0]);

    /// <summary>Applies the op: <c>SoftsignOp.Apply(x)</c>.</summary>
    public static Node Apply(Node x) => x.Graph.Apply(new SoftsignOp(), [x]);
}
