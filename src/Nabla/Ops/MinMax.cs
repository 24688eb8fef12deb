using Nabla.Kernels;

namespace Nabla;

/// <summary>z = max(x, y). ∂z/∂x = 1 where x ≥ y, ∂z/∂y = 1 where x &lt; y (ties go to x).</summary>
internal sealed class MaximumOp : BinaryElementwiseOp<MaximumKernel>
{
    public override string Type => "Maximum";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => ForwardNumbers<T, MaximumNumbers>(inputs, output);
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (Masks.GreaterEqual(x, y), Masks.Less(x, y));
}

/// <summary>z = min(x, y). ∂z/∂x = 1 where x ≤ y, ∂z/∂y = 1 where x &gt; y (ties go to x).</summary>
internal sealed class MinimumOp : BinaryElementwiseOp<MinimumKernel>
{
    public override string Type => "Minimum";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => ForwardNumbers<T, MinimumNumbers>(inputs, output);
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (Masks.LessEqual(x, y), Masks.Greater(x, y));
}

public sealed partial class Node
{
    /// <summary>max(x, y), elementwise with broadcasting. ∂/∂x = 1 where x ≥ y, ∂/∂y = 1 where x &lt; y (ties go to x).</summary>
    public static Node Maximum(Node x, Node y) => x.Graph.Apply(new MaximumOp(), [x, y]);
    /// <summary>min(x, y), elementwise with broadcasting. ∂/∂x = 1 where x ≤ y, ∂/∂y = 1 where x &gt; y (ties go to x).</summary>
    public static Node Minimum(Node x, Node y) => x.Graph.Apply(new MinimumOp(), [x, y]);
}
