namespace Nabla;

/// <summary>How <see cref="Graph.Jacobian"/> builds the matrix.</summary>
public enum JacobianMode
{
    /// <summary>One reverse sweep per element of y (a row each): cheap when y is small.</summary>
    Reverse,
    /// <summary>One forward sweep per element of x (a column each): cheap when x is small.</summary>
    Forward,
}

public sealed partial class Graph
{
    /// <summary>∂y/∂x with shape y.Shape ++ x.Shape. Both shapes must be fully known.</summary>
    public Node Jacobian(Node y, Node x, JacobianMode mode = JacobianMode.Reverse)
    {
        if (!y.Shape.IsFullyKnown || !x.Shape.IsFullyKnown)
            throw new GradientException($"Jacobian needs fully known shapes; y '{y.Name}' is {y.Shape} and x '{x.Name}' is {x.Shape}.");
        int m = y.Shape.Size, n = x.Shape.Size;
        var parts = new Node[mode == JacobianMode.Reverse ? m : n];
        for (int i = 0; i < parts.Length; i++)
        {
            if (mode == JacobianMode.Reverse)
            {
                var seed = Constant(OneHot(y.Shape, y.DType, i), "seed");
                var row = Gradients(y, [x], new GradientOptions { GradY = seed, ZerosForUnconnected = true })[0]!;
                parts[i] = row.Reshape(1, n);
            }
            else
            {
                var tangent = Constant(OneHot(x.Shape, x.DType, i), "tangent");
                parts[i] = Jvp(y, [x], [tangent]).Reshape(m, 1);
            }
        }
        var matrix = parts.Length == 1 ? parts[0] : Node.Concat(parts, mode == JacobianMode.Reverse ? 0 : 1);
        return matrix.Reshape([.. y.Shape.Dims, .. x.Shape.Dims]);
    }

    /// <summary>Second derivatives of a scalar y: shape x.Shape ++ x.Shape (the Jacobian of the gradient).</summary>
    public Node Hessian(Node y, Node x)
    {
        if (y.Shape.Size != 1)
            throw new GradientException($"Hessian needs a scalar y; '{y.Name}' has shape {y.Shape}.");
        var grad = Gradients(y, [x], new GradientOptions { ZerosForUnconnected = true })[0]!;
        return Jacobian(grad, x, JacobianMode.Reverse);
    }

    /// <summary>H·v for a scalar y without forming H: forward mode over the reverse-mode gradient.</summary>
    public Node HessianVectorProduct(Node y, Node x, Node v)
    {
        var grad = Gradients(y, [x], new GradientOptions { ZerosForUnconnected = true })[0]!;
        return Jvp(grad, [x], [v]);
    }

    private static Tensor OneHot(Shape shape, DType dtype, int index)
    {
        var t = Tensor.Zeros(shape, dtype);
        t.SetFlat(index, 1);
        return t;
    }
}
