namespace Nabla;

/// <summary>
/// ids [...] (integers stored as floats) → [..., depth] with 1 at each id and 0 elsewhere; a row whose id is not an
/// integer in [0, depth) is all zeros (as TensorFlow). Piecewise constant: no gradient.
/// </summary>
internal sealed class OneHotOp(int depth) : Op
{
    public int Depth { get; } = depth;
    public override string Type => "OneHot";
    internal OneHotOp(OpAttributes a) : this(a.Int("depth")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("depth", Depth);
    public override string Attributes => $"depth={Depth}";

    public override Shape InferShape(Node node, Shape[] inputShapes) =>
        inputShapes[0].IsUnknownRank ? Shape.Unknown : new Shape([.. inputShapes[0].Dims, Depth]);

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Kernels.Indexing.OneHot(inputs[0].Span<T>(), output.Span<T>(), Depth);
    }

    public override Node?[] Vjp(Node node, Node dy) => [null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Node
{
    /// <summary>One-hot encoding of integer ids stored as floats: shape [..., depth], in this node's dtype. No gradient.</summary>
    public Node OneHot(int depth)
    {
        if (depth < 1)
            throw new InvalidGraphArgumentException($"OneHot on '{Name}' {Shape}: depth {depth} must be at least 1.");
        return Graph.Apply(new OneHotOp(depth), [this]);
    }
}
