using Nabla.Kernels;

namespace Nabla;

/// <summary>y = eˣ. dy/dx = y.</summary>
internal sealed class ExpOp : UnaryElementwiseOp<ExpKernel>
{
    public override string Type => "Exp";
    protected override Node? Derivative(Node x, Node y) => y;
}

/// <summary>y = ln x. dy/dx = 1/x.</summary>
internal sealed class LogOp : UnaryElementwiseOp<LogKernel>
{
    public override string Type => "Log";
    protected override Node? Derivative(Node x, Node y) => 1.0 / x;
}

/// <summary>y = √x. dy/dx = 0.5/y.</summary>
internal sealed class SqrtOp : UnaryElementwiseOp<SqrtKernel>
{
    public override string Type => "Sqrt";
    protected override Node? Derivative(Node x, Node y) => 0.5 / y;
}

/// <summary>y = x². dy/dx = 2x. A primitive because it is one multiply instead of a pow.</summary>
internal sealed class SquareOp : UnaryElementwiseOp<SquareKernel>
{
    public override string Type => "Square";
    protected override Node? Derivative(Node x, Node y) => x * 2.0;
}

public sealed partial class Node
{
    /// <summary>eˣ, elementwise. d/dx = eˣ.</summary>
    public Node Exp(string? name = null) => Graph.Apply(new ExpOp(), [this], name);
    /// <summary>ln x, elementwise. d/dx = 1/x.</summary>
    public Node Log(string? name = null) => Graph.Apply(new LogOp(), [this], name);
    /// <summary>√x, elementwise. d/dx = 1/(2√x).</summary>
    public Node Sqrt(string? name = null) => Graph.Apply(new SqrtOp(), [this], name);
    /// <summary>x², elementwise. d/dx = 2x.</summary>
    public Node Square() => Graph.Apply(new SquareOp(), [this]);
}
