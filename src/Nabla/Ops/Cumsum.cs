using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The running sum along one axis (integers too), as TensorFlow's cumsum: exclusive leaves out the element itself,
/// reverse sums from the end. Linear: VJP is the cumulative sum of dy in the opposite direction (same exclusivity);
/// JVP is the cumulative sum of the tangent.
/// </summary>
internal sealed class CumsumOp(int axis, bool exclusive, bool reverse) : Op
{
    public int Axis { get; } = axis;
    public bool Exclusive { get; } = exclusive;
    public bool Reverse { get; } = reverse;
    public override string Type => "Cumsum";
    internal CumsumOp(OpAttributes a) : this(a.Int("axis"), a.Bool("exclusive"), a.Bool("reverse")) { }
    public override void WriteAttributes(OpAttributes a) { a.Set("axis", Axis); a.Set("exclusive", Exclusive); a.Set("reverse", Reverse); }
    public override string Attributes => $"axis={Axis}{(Exclusive ? ", exclusive" : "")}{(Reverse ? ", reverse" : "")}";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        var (outer, n, inner) = AxisScan.Split(x.Shape.Span, Axis);
        AxisScan.Cumsum(x.Span<T>(), output.Span<T>(), outer, n, inner, Exclusive, Reverse);
    }

    public override Node?[] Vjp(Node node, Node dy) => [dy.Graph.Apply(new CumsumOp(Axis, Exclusive, !Reverse), [dy])];
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : node.Graph.Apply(new CumsumOp(Axis, Exclusive, Reverse), [tangents[0]!]);
}

public sealed partial class Node
{
    /// <summary>
    /// The cumulative sum along <paramref name="axis"/>: [a, b, c] → [a, a+b, a+b+c]; <paramref name="exclusive"/> gives
    /// [0, a, a+b], <paramref name="reverse"/> gives [a+b+c, b+c, c]. Its gradient is the reverse cumulative sum of dy.
    /// </summary>
    public Node Cumsum(int axis = 0, bool exclusive = false, bool reverse = false) =>
        Graph.Apply(new CumsumOp(OpChecks.Axes("Cumsum", this, [axis])[0], exclusive, reverse), [this]);
}
