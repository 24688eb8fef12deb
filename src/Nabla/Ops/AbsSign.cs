using Nabla.Kernels;

namespace Nabla;

/// <summary>y = |x|. dy/dx = sign(x) (0 at 0, as TensorFlow).</summary>
internal sealed class AbsOp : UnaryElementwiseOp<AbsKernel>
{
    public override string Type => "Abs";
    protected override Node? Derivative(Node x, Node y) => x.Sign();
}

/// <summary>y = sign(x) ∈ {−1, 0, 1}. Piecewise constant: no gradient.</summary>
internal sealed class SignOp : UnaryElementwiseOp<SignKernel>
{
    public override string Type => "Sign";
    protected override Node? Derivative(Node x, Node y) => null;
}

public sealed partial class Node
{
    /// <summary>|x|, elementwise. d/dx = sign(x) (0 at 0, as TensorFlow).</summary>
    public Node Abs(string? name = null) => Graph.Apply(new AbsOp(), [this], name);
    /// <summary>sign(x) ∈ {−1, 0, 1}, elementwise. Piecewise constant: no gradient (Gradients gives none through it).</summary>
    public Node Sign() => Graph.Apply(new SignOp(), [this]);
}
