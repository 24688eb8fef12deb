namespace Nabla.Execution;

/// <summary>
/// Compiles a <see cref="Plan"/> as a pipeline of passes, each in its own file and testable alone:
/// check inputs (<see cref="RunInputs"/>) → prune (<see cref="Pruning"/>) → infer shapes (<see cref="ShapeInference"/>)
/// → fuse (<see cref="Fusion"/>) → alias views (<see cref="Aliasing"/>) → assign buffers (<see cref="BufferAssignment"/>).
/// </summary>
internal static class PlanBuilder
{
    public static Plan Build(Session session, IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        var fedValue = RunInputs.Check(session.Graph, fetches, feeds);
        var pruned = Pruning.Prune(session.Graph, fetches, fedValue);
        var shaped = ShapeInference.Infer(pruned, fedValue, session.VariableTensor);
        var (fetchSlots, fetched, fetchOwned) = FetchSlots(fetches, pruned, shaped);
        var fusion = Fusion.Find(shaped.Steps, shaped.Shapes, pruned.Order, fetched, session.FuseElementwise);
        var aliases = Aliasing.Find(shaped.Steps, shaped.Shapes, fetched, fusion);
        var (slotBuffer, buffers) = BufferAssignment.Assign(pruned.Order, shaped.Shapes, shaped.Steps, fetched, fusion, aliases);
        var (writtenSlots, savedSlots) = StateWrites.Find(shaped.Steps, pruned.Order, session.Options.CheckNumerics);
        var schedule = BindRunners(fusion.Schedule(shaped.Steps, aliases.Skipped), session.Runner);
        return new Plan
        {
            Fetches = [.. fetches],
            FetchSlots = fetchSlots,
            FetchOwned = fetchOwned,
            Feeds = feeds is null ? [] : [.. feeds.Select(kv => (kv.Key, kv.Value.Shape, kv.Value.DType, pruned.Needed[kv.Key.Id] ? pruned.SlotOf[kv.Key.Id] : -1))],
            Steps = schedule,
            Kernels = [.. schedule.Select(step => step.Group >= 0 ? null : step.Op.ForwardKernel(step.Node))],
            Groups = fusion.Groups,
            SlotNodes = pruned.Order,
            SlotShapes = shaped.Shapes,
            SlotBuffer = slotBuffer,
            Buffers = buffers,
            Fixed = shaped.Fixed,
            WrittenSlots = writtenSlots,
            SavedSlots = savedSlots,
        };
    }

    /// <summary>Hands control-flow ops the runner of their bodies; every other step keeps its op.</summary>
    private static Plan.Step[] BindRunners(Plan.Step[] steps, IFunctionRunner runner)
    {
        for (int i = 0; i < steps.Length; i++)
        {
            var op = steps[i].Op.BindRunner(runner);
            if (!ReferenceEquals(op, steps[i].Op)) steps[i] = steps[i] with { Op = op };
        }
        return steps;
    }

    /// <summary>
    /// Each fetch's slot; which slots are fetched; and per fetch whether a step computes it straight into a fresh
    /// result tensor (the first fetch of a computed value).
    /// </summary>
    private static (int[] Slots, bool[] Fetched, bool[] Owned) FetchSlots(IReadOnlyList<Node> fetches, PrunedGraph pruned, ShapedSteps shaped)
    {
        var slots = new int[fetches.Count];
        var fetched = new bool[pruned.Order.Length];
        for (int i = 0; i < slots.Length; i++) { slots[i] = pruned.SlotOf[fetches[i].Id]; fetched[slots[i]] = true; }
        var produced = new bool[pruned.Order.Length];
        foreach (var step in shaped.Steps) produced[step.Output] = true;
        var owned = new bool[slots.Length];
        for (int i = 0; i < slots.Length; i++)
            owned[i] = produced[slots[i]] && Array.IndexOf(slots, slots[i]) == i;
        return (slots, fetched, owned);
    }
}
