namespace Nabla.Execution;

/// <summary>Which variables a plan's steps write in place, and which of them a failing run could leave written.</summary>
internal static class StateWrites
{
    /// <summary>Stateful ops that read their inputs write variables (Assign, optimizer updates); Group only orders them.</summary>
    private static bool Writes(Op op) => op.IsStateful && op.ReadsInputValues;

    /// <summary>
    /// The slots of variables written by Assign and optimizer steps, and the subset written before some step that
    /// could still fail (any step other than a write or a Group): only those need saving before a run. In a
    /// training step every update comes after the forward and backward passes, so nothing needs saving.
    /// </summary>
    public static (int[] Written, int[] Saved) Find(IReadOnlyList<Plan.Step> steps, Node[] order)
    {
        var written = new List<int>();
        var saved = new List<int>();
        bool failingStepFollows = false;
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            if (!Writes(step.Op))
            {
                if (step.Op.ReadsInputValues) failingStepFollows = true;
                continue;
            }
            foreach (int input in step.Inputs)
                if (order[input].Op.SourceKind == SourceKind.Variable)
                {
                    if (!written.Contains(input)) written.Add(input);
                    if (failingStepFollows && !saved.Contains(input)) saved.Add(input);
                }
        }
        return ([.. written], [.. saved]);
    }
}
