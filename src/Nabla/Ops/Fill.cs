namespace Nabla;

/// <summary>A tensor filled with one value, shaped like its input (known at run time). No gradient.</summary>
internal sealed class FillLikeOp(double value) : Op
{
    public double Value { get; } = value;
    public override string Type => "FillLike";
    public override string Attributes => $"value={Value}";
    internal FillLikeOp(OpAttributes a) : this(a.Double("value")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("value", Value);
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    public override bool SupportsDType(DType dtype) => dtype.IsDefined();

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        if (output.DType == DType.Bool) output.Span<bool>().Fill(Value != 0);
        else base.Forward(inputs, output);
    }

    protected override void ForwardNumber<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => output.Span<T>().Fill(T.CreateChecked(Value));

    public override Node?[] Vjp(Node node, Node dy) => [null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

/// <summary>The scalar size(a) / size(b), for means over dims known only at run time. No gradient.</summary>
internal sealed class SizeRatioOp : Op
{
    public override string Type => "SizeRatio";
    public override DType InferDType(Node node) => node.Inputs[0].DType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => Shape.Scalar;

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        output.SetFlat(0, (double)inputs[0].Size / Math.Max(1, inputs[1].Size));

    public override Node?[] Vjp(Node node, Node dy) => [null, null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Node
{
    /// <summary>Ones of this node's shape and dtype (the shape taken at run time). A constant: no gradient.</summary>
    public Node OnesLike() => Graph.Apply(new FillLikeOp(1), [this], "OnesLike");
    /// <summary>Zeros of this node's shape and dtype (the shape taken at run time). A constant: no gradient.</summary>
    public Node ZerosLike() => Graph.Apply(new FillLikeOp(0), [this], "ZerosLike");
}
