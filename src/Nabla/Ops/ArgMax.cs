using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The index of the largest (ArgMax) or smallest (ArgMin) element along one axis, as int32 or int64; the first on ties,
/// the first NaN when there is one. The axis is removed from the shape. An integer result: no gradient in either mode.
/// </summary>
internal sealed class ArgExtremeOp(int axis, bool largest, DType result) : Op
{
    public int Axis { get; } = axis;
    public bool Largest { get; } = largest;
    public DType Result { get; } = result;
    public override string Type => Largest ? "ArgMax" : "ArgMin";
    internal ArgExtremeOp(OpAttributes a) : this(a.Int("axis"), a.Bool("largest"), a.DType("to")) { }
    public override void WriteAttributes(OpAttributes a) { a.Set("axis", Axis); a.Set("largest", Largest); a.Set("to", Result); }
    public override string Attributes => $"axis={Axis}, to={Result.Name()}";
    public override bool SupportsDType(DType dtype) => dtype.IsInteger();

    public override DType InferDType(Node node) =>
        node.Inputs[0].DType.IsNumeric() ? Result
        : throw new DTypeMismatchException($"{Type} '{node.Name}': '{node.Inputs[0].Name}' is {node.Inputs[0].DType.Name()}; give numbers (Cast bools to int32).");

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (x.IsUnknownRank) return Shape.Unknown;
        if (x[Axis] == 0) throw OpChecks.Mismatch(node, inputShapes, $"axis {Axis} is empty; {Type} needs at least one element to pick.");
        return new Shape([.. x.Dims[..Axis], .. x.Dims[(Axis + 1)..]]);
    }

    protected override bool ForwardsInInputDType => true;

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        var (outer, n, inner) = AxisScan.Split(x.Shape.Span, Axis);
        if (n == 0) throw new ShapeMismatchException($"{Type}: axis {Axis} of {x.Shape} is empty; there is no element to pick.");
        if (Result == DType.Int32) AxisScan.ArgExtreme(x.Span<T>(), output.Span<int>(), outer, n, inner, Largest);
        else AxisScan.ArgExtreme(x.Span<T>(), output.Span<long>(), outer, n, inner, Largest);
    }

    public override Node?[] Vjp(Node node, Node dy) => [null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Node
{
    /// <summary>The index of the largest element along <paramref name="axis"/> (int64 by default, as TensorFlow). No gradient.</summary>
    public Node ArgMax(int axis = -1, DType outputType = DType.Int64) => ArgExtreme(axis, largest: true, outputType);

    /// <summary>The index of the smallest element along <paramref name="axis"/> (int64 by default, as TensorFlow). No gradient.</summary>
    public Node ArgMin(int axis = -1, DType outputType = DType.Int64) => ArgExtreme(axis, largest: false, outputType);

    private Node ArgExtreme(int axis, bool largest, DType outputType)
    {
        string op = largest ? "ArgMax" : "ArgMin";
        if (!outputType.IsInteger())
            throw new InvalidGraphArgumentException($"{op} on '{Name}': the output type must be int32 or int64, not {outputType.Name()}.");
        return Graph.Apply(new ArgExtremeOp(OpChecks.Axes(op, this, [axis])[0], largest, outputType), [this]);
    }
}
