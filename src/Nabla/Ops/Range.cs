namespace Nabla;

/// <summary>
/// The 1-D sequence start, start + delta, ... up to but excluding limit, as TensorFlow's range; its length,
/// ⌈(limit − start) / delta⌉ (0 when negative), is fixed when the node is built. No inputs, so no derivatives.
/// </summary>
internal sealed class RangeOp(double start, double limit, double delta, DType dtype) : Op
{
    public double Start { get; } = start;
    public double Limit { get; } = limit;
    public double Delta { get; } = delta;
    public int Length => (int)Math.Max(0, Math.Ceiling((Limit - Start) / Delta));
    public override string Type => "Range";
    internal RangeOp(OpAttributes a) : this(a.Double("start"), a.Double("limit"), a.Double("delta"), a.DType("dtype")) { }
    public override void WriteAttributes(OpAttributes a) { a.Set("start", Start); a.Set("limit", Limit); a.Set("delta", Delta); a.Set("dtype", DType); }
    public override string Attributes => $"start={Start}, limit={Limit}, delta={Delta}";
    public override bool SupportsDType(DType dtype) => dtype.IsNumeric();
    public DType DType { get; } = dtype;
    public override DType InferDType(Node node) => DType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => new(Length);

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var y = output.Span<T>();
        T start = T.CreateChecked(Start), delta = T.CreateChecked(Delta);
        for (int i = 0; i < y.Length; i++) y[i] = start + T.CreateChecked(i) * delta;
    }

    public override Node?[] Vjp(Node node, Node dy) => [];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Graph
{
    /// <summary>
    /// [start, start + delta, ...) up to but excluding <paramref name="limit"/>, as a 1-D node of <paramref name="dtype"/>
    /// (int32 by default): <c>g.Range(0, 5)</c> is [0, 1, 2, 3, 4]. No gradient.
    /// </summary>
    public Node Range(double start, double limit, double delta = 1, DType dtype = DType.Int32)
    {
        string where = $"Range({start}, {limit}, {delta}) of {dtype.Name()}";
        if (delta == 0 || !double.IsFinite(start) || !double.IsFinite(limit) || !double.IsFinite(delta))
            throw new InvalidGraphArgumentException($"{where}: start, limit and delta must be finite and delta nonzero.");
        if (dtype.IsInteger() && (start != Math.Floor(start) || delta != Math.Floor(delta)))
            throw new InvalidGraphArgumentException($"{where}: an integer range needs whole start and delta; use a floating-point dtype for fractions.");
        if (Math.Ceiling((limit - start) / delta) > Array.MaxLength)
            throw new InvalidGraphArgumentException($"{where}: the range would have more than {Array.MaxLength} elements.");
        return Apply(new RangeOp(start, limit, delta, dtype), []);
    }
}
