namespace Nabla.Execution;

/// <summary>Which variables a plan's steps write in place, and which of them a failing run could leave written.</summary>
internal static class StateWrites
{
    /// <summary>Stateful ops that read their inputs write variables (Assign, optimizer updates); Group only orders them.</summary>
    private static bool Writes(Op op) => op.IsStateful && op.ReadsInputValues;

    /// <summary>
    /// The slots of variables written by Assign and optimizer steps, and the subset written before some step that
    /// may still fail (<see cref="Op.MayFailWhenRun"/>; with <paramref name="checkNumerics"/> every step that reads
    /// values, the writes included): only those need saving before a run. In a training step every update comes after
    /// the forward and backward passes, followed at most by arithmetic, so nothing needs saving.
    /// The steps are the unfused ones, in run order: a fused group's Assign members are writes too.
    /// </summary>
    public static (int[] Written, int[] Saved) Find(IReadOnlyList<Plan.Step> steps, Node[] order, bool checkNumerics)
    {
        var written = new List<int>();
        var saved = new List<int>();
        bool failingStepFollows = false;
        for (int i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            bool mayFail = step.Op.ReadsInputValues && (checkNumerics || step.Op.MayFailWhenRun);
            if (Writes(step.Op))
                foreach (int input in step.Inputs)
                    if (order[input].Op.SourceKind == SourceKind.Variable)
                    {
                        if (!written.Contains(input)) written.Add(input);
                        // A write checked for finite values fails after writing: its own variables need saving too.
                        if ((failingStepFollows || checkNumerics) && !saved.Contains(input)) saved.Add(input);
                    }
            failingStepFollows |= mayFail;
        }
        return ([.. written], [.. saved]);
    }
}
