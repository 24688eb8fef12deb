namespace Nabla;

/// <summary>
/// Converts between any two dtypes, as TensorFlow's cast (floats to integers truncate toward zero, anything to bool is
/// x ≠ 0). VJP between floating-point dtypes: dy cast back to the input's dtype; no gradient flows into or out of
/// integers and bools. JVP: the tangent cast likewise.
/// </summary>
internal sealed class CastOp(DType target) : Op
{
    public DType Target { get; } = target;
    public override string Type => "Cast";
    internal CastOp(OpAttributes a) : this(a.DType("to")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("to", Target);
    public override string Attributes => $"to={Target.Name()}";
    public override DType InferDType(Node node) => Target;
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    public override bool SupportsDType(DType dtype) => dtype.IsDefined();

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => inputs[0].ConvertInto(output);

    private bool Differentiable(Node node) => Target.IsFloatingPoint() && node.Inputs[0].DType.IsFloatingPoint();

    public override Node?[] Vjp(Node node, Node dy) => [Differentiable(node) ? dy.Cast(node.Inputs[0].DType) : null];
    public override Node? Jvp(Node node, Node?[] tangents) => Differentiable(node) ? tangents[0]?.Cast(Target) : null;
}

public sealed partial class Node
{
    /// <summary>This node converted to <paramref name="dtype"/> (the node itself when it already has it); see <see cref="Tensor.Cast(DType)"/> for the rules.</summary>
    public Node Cast(DType dtype) => dtype == DType ? this : Graph.Apply(new CastOp(dtype), [this]);
}
