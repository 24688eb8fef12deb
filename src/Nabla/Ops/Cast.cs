namespace Nabla;

/// <summary>Converts between float32 and float64. VJP: dy cast back to the input's dtype.</summary>
internal sealed class CastOp(DType target) : Op
{
    public DType Target { get; } = target;
    public override string Type => "Cast";
    internal CastOp(OpAttributes a) : this(a.DType("to")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("to", Target);
    public override string Attributes => $"to={Target.Name()}";
    public override DType InferDType(Node node) => Target;
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        if (x.DType == output.DType) { x.CopyTo(output); return; }
        if (output.DType == DType.Float64)
        {
            var src = x.Span<float>(); var dst = output.Span<double>();
            for (int i = 0; i < src.Length; i++) dst[i] = src[i];
        }
        else
        {
            var src = x.Span<double>(); var dst = output.Span<float>();
            for (int i = 0; i < src.Length; i++) dst[i] = (float)src[i];
        }
    }

    public override Node?[] Vjp(Node node, Node dy) => [dy.Cast(node.Inputs[0].DType)];
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0]?.Cast(Target);
}

public sealed partial class Node
{
    /// <summary>This node converted to <paramref name="dtype"/> (the node itself when it already has it). The gradient is dy cast back to this node's dtype.</summary>
    public Node Cast(DType dtype) => dtype == DType ? this : Graph.Apply(new CastOp(dtype), [this]);
}
