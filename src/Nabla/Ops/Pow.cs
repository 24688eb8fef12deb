using Nabla.Kernels;

namespace Nabla;

/// <summary>z = x^y. ∂z/∂x = y·x^(y−1), ∂z/∂y = z·ln x (taken as 0 where x ≤ 0, as TensorFlow does).</summary>
internal sealed class PowOp : BinaryElementwiseOp<PowKernel>
{
    public override string Type => "Pow";

    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z)
    {
        var dx = y * Node.Pow(x, y - 1.0);
        var zero = AD.Scalar(x, 0);
        var logX = Node.Where(x.Greater(zero), x.Log(), zero);
        return (dx, z * logX);
    }
}

public sealed partial class Node
{
    /// <summary>x raised to the power y, elementwise with broadcasting. ∂z/∂x = y·x^(y−1), ∂z/∂y = z·ln x (taken as 0 where x ≤ 0, as TensorFlow does).</summary>
    public static Node Pow(Node x, Node y) => x.Graph.Apply(new PowOp(), [x, y]);

    /// <summary>x raised to the power y, as a node named <paramref name="name"/>.</summary>
    public static Node Pow(Node x, Node y, string name) => x.Graph.Apply(new PowOp(), [x, y], name);

    /// <summary>x raised to the constant <paramref name="exponent"/> p, elementwise. d/dx = p·x^(p−1).</summary>
    public Node Pow(double exponent) => Pow(this, Lift(exponent));
}
