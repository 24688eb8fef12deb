using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The positions (int32) of the k largest elements along the last axis, largest first; equal values keep their order
/// and NaN counts as the largest (as TensorFlow's top_k). [..., n] → [..., k]. An integer result: no gradient.
/// </summary>
internal sealed class TopKIndicesOp(int k) : Op
{
    public int K { get; } = k;
    public override string Type => "TopKIndices";
    internal TopKIndicesOp(OpAttributes a) : this(a.Int("k")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("k", K);
    public override string Attributes => $"k={K}";
    public override bool SupportsDType(DType dtype) => dtype == DType.Int32;

    public override DType InferDType(Node node) =>
        node.Inputs[0].DType.IsNumeric() ? DType.Int32
        : throw new DTypeMismatchException($"TopK '{node.Name}': '{node.Inputs[0].Name}' is {node.Inputs[0].DType.Name()}; give numbers.");

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (x.IsUnknownRank) return Shape.Unknown;
        if (x.Rank == 0) throw OpChecks.Mismatch(node, inputShapes, "TopK needs rank 1 or more (it picks along the last axis).");
        if (x[-1] != -1 && x[-1] < K) throw OpChecks.Mismatch(node, inputShapes, $"k = {K} is more than the {x[-1]} elements of the last axis.");
        return new Shape([.. x.Dims[..^1], K]);
    }

    protected override bool ForwardsInInputDType => true;

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        int n = x.Shape[-1], rows = n == 0 ? 0 : x.Size / n;
        if (n < K) throw new ShapeMismatchException($"TopK: k = {K} is more than the {n} elements of the last axis of {x.Shape}.");
        AxisScan.TopKIndices(x.Span<T>(), output.Span<int>(), rows, n, K);
    }

    public override Node?[] Vjp(Node node, Node dy) => [null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

/// <summary>
/// z[..., j] = x[..., indices[..., j]] along the last axis (x [..., n], int indices [..., k]). Linear in x:
/// VJP scatters dy back, Σ_j dy[..., j]·onehot(indices[..., j], n); JVP takes the tangent at the same indices.
/// </summary>
internal sealed class TakeAlongLastAxisOp : Op
{
    public override string Type => "TakeAlongLastAxis";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();

    public override DType InferDType(Node node)
    {
        Node x = node.Inputs[0], indices = node.Inputs[1];
        return indices.DType.IsInteger() ? x.DType : throw Ids.WrongDType(node, indices, x.DType);
    }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape x = inputShapes[0], indices = inputShapes[1];
        if (x.IsUnknownRank || indices.IsUnknownRank) return indices;
        if (x.Rank == 0 || x.Rank != indices.Rank || !new Shape(x.Dims[..^1]).IsCompatibleWith(new Shape(indices.Dims[..^1])))
            throw OpChecks.Mismatch(node, inputShapes, "indices must have the rank of x and the same leading dimensions.");
        return indices;
    }

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor x = inputs[0], indices = inputs[1];
        int n = x.Shape[-1], k = indices.Shape[-1], rows = k == 0 ? 0 : indices.Size / k;
        using var ids = new Ids(indices, n).RequireValid(indices, n, "TakeAlongLastAxis", "index");
        AxisScan.TakeAlongLastAxis(x.Span<T>(), ids.Span, output.Span<T>(), rows, n, k);
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node x = node.Inputs[0], indices = node.Inputs[1];
        int n = x.Shape.IsUnknownRank ? -1 : x.Shape[-1];
        if (n < 0)
            throw new GradientException($"TakeAlongLastAxis '{node.Name}': the last axis of '{x.Name}' {x.Shape} must be known to differentiate; give it a shape.");
        return [(dy.ExpandDims(-1) * indices.OneHot(n, dy.DType)).Sum([-2]), null];
    }

    public override Node? Jvp(Node node, Node?[] tangents) =>
        tangents[0] is null ? null : node.Graph.Apply(new TakeAlongLastAxisOp(), [tangents[0]!, node.Inputs[1]]);
}

public sealed partial class Node
{
    /// <summary>
    /// The k largest elements along the last axis, largest first, and their positions (int32), as TensorFlow's top_k.
    /// Gradient flows to this node through Values only: dy goes back to the positions that were picked.
    /// </summary>
    public (Node Values, Node Indices) TopK(int k)
    {
        if (k < 0) throw new InvalidGraphArgumentException($"TopK on '{Name}' {Shape}: k = {k} must be 0 or more.");
        var indices = Graph.Apply(new TopKIndicesOp(k), [this]);
        return (TakeAlongLastAxis(indices), indices);
    }

    /// <summary>z[..., j] = this[..., indices[..., j]] along the last axis, for int32 or int64 indices. Gradient flows to this node.</summary>
    public Node TakeAlongLastAxis(Node indices) => Graph.Apply(new TakeAlongLastAxisOp(), [this, indices]);
}
