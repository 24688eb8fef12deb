using Nabla.Kernels;

namespace Nabla;

/// <summary>y = x (a copy). VJP: dy.</summary>
internal sealed class IdentityOp : UnaryElementwiseOp<IdentityKernel>
{
    public override string Type => "Identity";
    public override int ViewedInput(Shape[] inputShapes, Shape output) => 0;
    protected override Node? Derivative(Node x, Node y) => AD.Scalar(x, 1);
}

/// <summary>y = x in the forward pass; blocks every gradient and tangent through it.</summary>
internal sealed class StopGradientOp : UnaryElementwiseOp<IdentityKernel>
{
    public override string Type => "StopGradient";
    public override int ViewedInput(Shape[] inputShapes, Shape output) => 0;
    protected override Node? Derivative(Node x, Node y) => null;
}

public sealed partial class Node
{
    /// <summary>A copy of x. d/dx = 1: the gradient passes through unchanged.</summary>
    public Node Identity() => Graph.Apply(new IdentityOp(), [this]);

    /// <summary>The same value, treated as a constant by Gradients and Jvp. Its derivative is taken as 0.</summary>
    public Node StopGradient() => Graph.Apply(new StopGradientOp(), [this]);
}
