using Nabla.Kernels;

namespace Nabla;

/// <summary>y = sin x. dy/dx = cos x.</summary>
internal sealed class SinOp : UnaryElementwiseOp<SinKernel>
{
    public override string Type => "Sin";
    protected override Node? Derivative(Node x, Node y) => x.Cos();
}

/// <summary>y = cos x. dy/dx = −sin x.</summary>
internal sealed class CosOp : UnaryElementwiseOp<CosKernel>
{
    public override string Type => "Cos";
    protected override Node? Derivative(Node x, Node y) => -x.Sin();
}

public sealed partial class Node
{
    /// <summary>sin x, elementwise. d/dx = cos x.</summary>
    public Node Sin(string? name = null) => Graph.Apply(new SinOp(), [this], name);
    /// <summary>cos x, elementwise. d/dx = −sin x.</summary>
    public Node Cos(string? name = null) => Graph.Apply(new CosOp(), [this], name);
}
