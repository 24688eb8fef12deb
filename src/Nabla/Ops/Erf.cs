using Nabla.Kernels;

namespace Nabla;

/// <summary>y = erf x. dy/dx = (2/√π)·e^(−x²). A primitive: erf has no closed form in the other ops.</summary>
internal sealed class ErfOp : UnaryElementwiseOp<ErfKernel>
{
    public override string Type => "Erf";
    protected override Node? Derivative(Node x, Node y) => (-x.Square()).Exp() * (2 / Math.Sqrt(Math.PI));
}

public sealed partial class Node
{
    /// <summary>The error function erf x = (2/√π)∫₀ˣ e^(−t²) dt, elementwise. d/dx = (2/√π)·e^(−x²).</summary>
    public Node Erf(string? name = null) => Graph.Apply(new ErfOp(), [this], name);
}
