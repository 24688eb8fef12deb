namespace Nabla.Execution;

/// <summary>Per slot, the slot whose buffer it views (-1 for none); per step, whether it is skipped because its output is such a view.</summary>
internal sealed record Aliases(int[] ViewOf, bool[] Skipped);

/// <summary>
/// The alias pass of <see cref="PlanBuilder"/>: a step whose output is one input's elements in the same order (a reshape,
/// an identity, a sum or broadcast to the input's own shape, a custom gradient's forward value; see
/// <see cref="Op.ViewedInput"/>) does not run; its value is a view of that input's buffer. Only values in the plan's own
/// buffers are aliased: never a fed, constant or variable value (it may change between or during runs), a fetched one
/// (it goes to the caller) or a fused group's scratch row.
/// </summary>
internal static class Aliasing
{
    public static Aliases Find(List<Plan.Step> steps, Shape[] shapes, bool[] fetched, Fusion.Result fusion)
    {
        var viewOf = new int[shapes.Length];
        Array.Fill(viewOf, -1);
        var skipped = new bool[steps.Count];
        var hasBuffer = new bool[shapes.Length];
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            int output = step.Output;
            if (fetched[output] || fusion.Internal[output]) continue;
            hasBuffer[output] = true;
            if (fusion.GroupOf[i] >= 0) continue;
            var inputShapes = new Shape[step.Inputs.Length];
            for (int j = 0; j < inputShapes.Length; j++) inputShapes[j] = shapes[step.Inputs[j]];
            int viewed = step.Op.ViewedInput(inputShapes, shapes[output]);
            if (viewed < 0) continue;
            int source = step.Inputs[viewed];
            int root = viewOf[source] >= 0 ? viewOf[source] : source;
            if (!hasBuffer[root]) continue;
            viewOf[output] = root;
            skipped[i] = true;
        }
        return new Aliases(viewOf, skipped);
    }
}
