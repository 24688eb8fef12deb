namespace Nabla;

/// <summary>Which variables a plan's steps write in place, and whether a failing run could leave some of them written.</summary>
internal static class StateWrites
{
    private static bool Writes(Op op) => op is AssignOp or ApplyUpdateOp;

    /// <summary>
    /// The slots of variables written by Assign and optimizer steps, and whether any step other than a write or a
    /// Group runs after the first write (only such a step can fail once state has changed).
    /// </summary>
    public static (int[] Slots, bool Snapshot) Find(IReadOnlyList<Plan.Step> steps, Node[] order)
    {
        var slots = new List<int>();
        bool written = false, snapshot = false;
        foreach (var step in steps)
        {
            if (Writes(step.Op))
            {
                written = true;
                foreach (int input in step.Inputs)
                    if (order[input].Op is VariableOp && !slots.Contains(input)) slots.Add(input);
            }
            else if (written && step.Op is not GroupOp) snapshot = true;
        }
        return ([.. slots], snapshot);
    }
}
