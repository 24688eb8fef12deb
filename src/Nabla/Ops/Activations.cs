using Nabla.Kernels;

namespace Nabla;

/// <summary>y = tanh x. dy/dx = 1 − y².</summary>
internal sealed class TanhOp : UnaryElementwiseOp<TanhKernel>
{
    public override string Type => "Tanh";
    protected override Node? Derivative(Node x, Node y) => 1.0 - y.Square();
}

/// <summary>y = 1/(1+e⁻ˣ). dy/dx = y(1 − y). A primitive for stability: the composite overflows e⁻ˣ for large negative x.</summary>
internal sealed class SigmoidOp : UnaryElementwiseOp<SigmoidKernel>
{
    public override string Type => "Sigmoid";
    protected override Node? Derivative(Node x, Node y) => y * (1.0 - y);
}

/// <summary>y = max(x, 0). dy/dx = 1 where x &gt; 0, else 0 (a step with no derivative of its own).</summary>
internal sealed class ReluOp : UnaryElementwiseOp<ReluKernel>
{
    public override string Type => "Relu";
    protected override Node? Derivative(Node x, Node y) => Masks.Greater(x, AD.Scalar(x, 0));
}

public sealed partial class Node
{
    /// <summary>tanh x, elementwise. d/dx = 1 − tanh²x.</summary>
    public Node Tanh(string? name = null) => Graph.Apply(new TanhOp(), [this], name);
    /// <summary>σ(x) = 1/(1 + e⁻ˣ), elementwise. d/dx = σ(x)(1 − σ(x)).</summary>
    public Node Sigmoid(string? name = null) => Graph.Apply(new SigmoidOp(), [this], name);
    /// <summary>max(x, 0), elementwise. d/dx = 1 where x &gt; 0, else 0.</summary>
    public Node Relu(string? name = null) => Graph.Apply(new ReluOp(), [this], name);
}
