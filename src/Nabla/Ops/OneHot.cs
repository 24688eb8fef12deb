namespace Nabla;

/// <summary>
/// ids [...] (int32, int64, or whole numbers stored as floats) → [..., depth] of <see cref="Result"/> with 1 at each id and
/// 0 elsewhere; a row whose id is not an integer in [0, depth) is all zeros (as TensorFlow). Piecewise constant: no gradient.
/// </summary>
internal sealed class OneHotOp(int depth, DType dtype) : Op
{
    public int Depth { get; } = depth;
    /// <summary>The output dtype.</summary>
    public DType Result { get; } = dtype;
    public override string Type => "OneHot";
    internal OneHotOp(OpAttributes a) : this(a.Int("depth"), a.DType("to")) { }
    public override void WriteAttributes(OpAttributes a) { a.Set("depth", Depth); a.Set("to", Result); }
    public override string Attributes => $"depth={Depth}, to={Result.Name()}";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();

    public override DType InferDType(Node node) =>
        node.Inputs[0].DType == DType.Bool ? throw Ids.WrongDType(node, node.Inputs[0], Result) : Result;

    public override Shape InferShape(Node node, Shape[] inputShapes) =>
        inputShapes[0].IsUnknownRank ? Shape.Unknown : new Shape([.. inputShapes[0].Dims, Depth]);

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        using var ids = new Ids(inputs[0], Depth);
        Kernels.Indexing.OneHot(ids.Span, output.Span<T>(), Depth);
    }

    public override Node?[] Vjp(Node node, Node dy) => [null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Node
{
    /// <summary>
    /// One-hot encoding of ids (int32, int64, or whole numbers stored as floats): shape [..., depth], of
    /// <paramref name="dtype"/> (default: this node's dtype when it is floating-point, else float32). No gradient.
    /// </summary>
    public Node OneHot(int depth, DType? dtype = null)
    {
        if (depth < 1)
            throw new InvalidGraphArgumentException($"OneHot on '{Name}' {Shape}: depth {depth} must be at least 1.");
        return Graph.Apply(new OneHotOp(depth, dtype ?? (DType.IsFloatingPoint() ? DType : DType.Float32)), [this]);
    }
}
