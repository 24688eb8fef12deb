namespace Nabla;

/// <summary>
/// Writes a value into a variable (in the running session) and outputs it. Stateful: not differentiable.
/// </summary>
internal sealed class AssignOp : Op
{
    public override string Type => "Assign";
    public override bool MayFailWhenRun => false;
    public override FusionRole FusionRole => FusionRole.Assign;
    public override bool IsStateful => true;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        if (node.Inputs[0].Op.SourceKind != SourceKind.Variable)
            throw new InvalidGraphArgumentException($"Assign '{node.Name}': the target '{node.Inputs[0].Name}' is a {node.Inputs[0].OpType}, not a Variable.");
        if (!inputShapes[0].IsCompatibleWith(inputShapes[1]) || (inputShapes[1].IsFullyKnown && inputShapes[1] != inputShapes[0]))
            throw OpChecks.Mismatch(node, inputShapes, "the value must have the variable's shape.");
        return inputShapes[0];
    }

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        inputs[1].CopyTo(inputs[0]);
        inputs[1].CopyTo(output);
    }

    public override Node?[] Vjp(Node node, Node dy) =>
        throw new GradientException($"Assign '{node.Name}' changes state and has no gradient; differentiate the value before assigning it.");
}

/// <summary>Runs all its inputs (for their effects, e.g. a set of Assigns) and outputs the scalar 0.</summary>
internal sealed class GroupOp : Op
{
    public override string Type => "Group";
    public override bool MayFailWhenRun => false;
    public override bool ReadsInputValues => false;
    public override bool IsStateful => true;
    public override DType InferDType(Node node) => DType.Float32;
    public override Shape InferShape(Node node, Shape[] inputShapes) => Shape.Scalar;
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => output.F32[0] = 0;
    public override Node?[] Vjp(Node node, Node dy) => new Node?[node.Inputs.Count];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Node
{
    /// <summary>Assigns <paramref name="value"/> to this variable when run; the result is the new value. Stateful: not differentiable.</summary>
    public Node Assign(Node value) => Graph.Apply(new AssignOp(), [this, value]);
}

public sealed partial class Graph
{
    /// <summary>One node that runs all of <paramref name="nodes"/> (TensorFlow's tf.group). Outputs the scalar 0: no gradient.</summary>
    public Node Group(params Node[] nodes) => Apply(new GroupOp(), nodes, "Group");
}
