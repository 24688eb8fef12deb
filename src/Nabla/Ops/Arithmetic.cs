using Nabla.Kernels;

namespace Nabla;

/// <summary>z = x + y (integers too). ∂z/∂x = 1, ∂z/∂y = 1.</summary>
internal sealed class AddOp : BinaryElementwiseOp<AddKernel>
{
    public override string Type => "Add";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => ForwardNumbers<T, AddNumbers>(inputs, output);
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (AD.Scalar(z, 1), AD.Scalar(z, 1));
}

/// <summary>z = x − y (integers too). ∂z/∂x = 1, ∂z/∂y = −1.</summary>
internal sealed class SubOp : BinaryElementwiseOp<SubtractKernel>
{
    public override string Type => "Sub";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => ForwardNumbers<T, SubtractNumbers>(inputs, output);
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (AD.Scalar(z, 1), AD.Scalar(z, -1));
}

/// <summary>z = x · y (integers too, wrapping on overflow). ∂z/∂x = y, ∂z/∂y = x.</summary>
internal sealed class MulOp : BinaryElementwiseOp<MultiplyKernel>
{
    public override string Type => "Mul";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => ForwardNumbers<T, MultiplyNumbers>(inputs, output);
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (y, x);
}

/// <summary>z = x / y. ∂z/∂x = 1/y, ∂z/∂y = −z/y.</summary>
internal sealed class DivOp : BinaryElementwiseOp<DivideKernel>
{
    public override string Type => "Div";
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (1.0 / y, -(x / y.Square()));
}

/// <summary>y = −x (integers too). dy/dx = −1.</summary>
internal sealed class NegOp : UnaryElementwiseOp<NegateKernel>
{
    public override string Type => "Neg";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => NumberElementwise.Negate(inputs[0].Span<T>(), output.Span<T>());
    protected override Node? Derivative(Node x, Node y) => AD.Scalar(x, -1);
}

public sealed partial class Node
{
    /// <summary>this + other, elementwise with broadcasting. ∂/∂this = 1, ∂/∂other = 1 (summed over broadcast axes).</summary>
    public Node Add(Node other, string? name = null) => Graph.Apply(new AddOp(), [this, other], name);
    /// <summary>this − other, elementwise with broadcasting. ∂/∂this = 1, ∂/∂other = −1.</summary>
    public Node Sub(Node other, string? name = null) => Graph.Apply(new SubOp(), [this, other], name);
    /// <summary>this · other, elementwise with broadcasting. ∂/∂this = other, ∂/∂other = this.</summary>
    public Node Mul(Node other, string? name = null) => Graph.Apply(new MulOp(), [this, other], name);
    /// <summary>this / other, elementwise with broadcasting. ∂/∂this = 1/other, ∂/∂other = −this/other².</summary>
    public Node Div(Node other, string? name = null) => Graph.Apply(new DivOp(), [this, other], name);
    /// <summary>−x, elementwise. d/dx = −1.</summary>
    public Node Neg(string? name = null) => Graph.Apply(new NegOp(), [this], name);
}
