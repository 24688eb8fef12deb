namespace Nabla.Execution;

/// <summary>Each slot's concrete shape, the steps that compute values (in order), and the slots whose values are fixed.</summary>
internal sealed record ShapedSteps(Shape[] Shapes, List<Plan.Step> Steps, (int Slot, Tensor Value)[] Fixed);

/// <summary>
/// The shape pass of <see cref="PlanBuilder"/>: sources take the shape of their value (fed, constant or the session's
/// variable), and every other op infers its concrete output shape from its inputs' and becomes a step.
/// </summary>
internal static class ShapeInference
{
    public static ShapedSteps Infer(PrunedGraph pruned, Tensor?[] fedValue, Func<Node, Tensor> variableValue)
    {
        var order = pruned.Order;
        var shapes = new Shape[order.Length];
        var fixedValues = new List<(int, Tensor)>();
        var steps = new List<Plan.Step>();
        for (int s = 0; s < order.Length; s++)
        {
            var node = order[s];
            var source = node.Op.SourceKind;
            if (fedValue[node.Id] is { } fed) shapes[s] = fed.Shape;
            else if (source == SourceKind.Placeholder)
                throw new MissingFeedException(
                    $"You must feed a value for placeholder '{node.Name}' with dtype {node.DType.Name()} and shape {node.Shape}: add it to the Feeds passed to Run.");
            else if (source != SourceKind.None)
            {
                var value = source == SourceKind.Variable ? variableValue(node) : node.Op.FixedValue!;
                shapes[s] = value.Shape;
                fixedValues.Add((s, value));
            }
            else
            {
                steps.Add(Step(node, s, pruned.SlotOf, shapes, out var shape));
                shapes[s] = shape;
            }
        }
        return new ShapedSteps(shapes, steps, [.. fixedValues]);
    }

    private static Plan.Step Step(Node node, int slot, int[] slotOf, Shape[] shapes, out Shape shape)
    {
        var nodeInputs = node.InputArray;
        var inputs = new int[nodeInputs.Length];
        var inputShapes = new Shape[nodeInputs.Length];
        for (int i = 0; i < inputs.Length; i++) { inputs[i] = slotOf[nodeInputs[i].Id]; inputShapes[i] = shapes[inputs[i]]; }
        shape = node.Op.InferShape(node, inputShapes);
        if (!shape.IsFullyKnown)
            throw new ShapeMismatchException($"{node.OpType} '{node.Name}': the shape {shape} is still unknown when running; feed shapes that fix it.");
        return new Plan.Step(node.Op, node, inputs, slot, -1);
    }
}
