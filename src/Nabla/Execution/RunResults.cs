namespace Nabla.Execution;

/// <summary>
/// Where a run's fetched values go: fresh tensors (the default <c>Session.Run</c>), or tensors the caller made once and
/// passes to every run, which the steps computing the fetches write straight into, so a steady-state run allocates nothing.
/// </summary>
internal static class RunResults
{
    /// <summary>
    /// Before any step runs: puts each computed fetch's result tensor in its slot, the caller's (checked) where
    /// <paramref name="provided"/> is given, else a fresh uninitialized one (every element is written by its step).
    /// </summary>
    public static void Bind(Plan plan, Tensor?[] values, IReadOnlyList<Tensor>? provided, Nabla.Feeds? feeds)
    {
        if (provided is not null) Check(plan, provided, feeds);
        var slots = plan.FetchSlots;
        for (int i = 0; i < slots.Length; i++)
            if (plan.FetchOwned[i])
            {
                int slot = slots[i];
                values[slot] = provided is not null ? provided[i]
                    : new Tensor(plan.SlotShapes[slot], plan.SlotNodes[slot].DType, Tensor.AllocateUninitialized(plan.SlotNodes[slot].DType, plan.SlotShapes[slot].Size));
            }
    }

    /// <summary>
    /// After the steps: the fetched values in the order asked. Values no step computed into a result tensor (a fed or
    /// constant node, a variable, a fetch repeated) are copied, into the caller's tensor where given.
    /// </summary>
    public static Tensor[]? Collect(Plan plan, Tensor?[] values, IReadOnlyList<Tensor>? provided)
    {
        var slots = plan.FetchSlots;
        if (provided is not null)
        {
            for (int i = 0; i < slots.Length; i++)
                if (!plan.FetchOwned[i]) values[slots[i]]!.CopyTo(provided[i]);
            return null;
        }
        var results = new Tensor[slots.Length];
        for (int i = 0; i < results.Length; i++)
            results[i] = plan.FetchOwned[i] ? values[slots[i]]! : values[slots[i]]!.Clone();
        return results;
    }

    /// <summary>A result tensor for each fetch of the plan, of the shape and dtype a run gives it.</summary>
    public static Tensor[] Allocate(Plan plan)
    {
        var results = new Tensor[plan.FetchSlots.Length];
        for (int i = 0; i < results.Length; i++)
        {
            int slot = plan.FetchSlots[i];
            results[i] = new Tensor(plan.SlotShapes[slot], plan.SlotNodes[slot].DType);
        }
        return results;
    }

    /// <summary>Checks the caller's result tensors: one per fetch, of its shape and dtype, none sharing storage with a feed, a variable or another result.</summary>
    private static void Check(Plan plan, IReadOnlyList<Tensor> provided, Nabla.Feeds? feeds)
    {
        var slots = plan.FetchSlots;
        if (provided.Count != slots.Length)
            throw new InvalidGraphArgumentException($"Run: {slots.Length} fetches but {provided.Count} result tensors; pass one result per fetch (Session.CreateResults makes them).");
        for (int i = 0; i < slots.Length; i++)
        {
            var result = provided[i];
            var node = plan.SlotNodes[slots[i]];
            var shape = plan.SlotShapes[slots[i]];
            if (result is null)
                throw new InvalidGraphArgumentException($"Run: result {i} (for '{node.Name}', {node.OpType}) is null; pass a {shape} {node.DType.Name()} tensor.");
            if (result.DType != node.DType)
                throw new DTypeMismatchException($"Run: result {i} for '{node.Name}' ({node.OpType}) is {result.DType.Name()}, but the fetch is {node.DType.Name()}; pass a {shape} {node.DType.Name()} tensor (Session.CreateResults makes them).");
            if (result.Shape != shape)
                throw new ShapeMismatchException($"Run: result {i} for '{node.Name}' ({node.OpType}) has shape {result.Shape}, but this run gives {shape}; pass a {shape} {node.DType.Name()} tensor (Session.CreateResults makes them).");
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(provided[j].Buffer, result.Buffer))
                    throw new InvalidGraphArgumentException($"Run: results {j} and {i} share storage; pass a tensor of its own for each fetch.");
            if (feeds is not null)
                foreach (var (fed, value) in feeds)
                    if (ReferenceEquals(value.Buffer, result.Buffer))
                        throw new InvalidGraphArgumentException($"Run: result {i} for '{node.Name}' is the tensor fed to '{fed.Name}'; a run never writes its feeds, so pass a tensor of its own.");
            foreach (var (_, value) in plan.Fixed)
                if (ReferenceEquals(value.Buffer, result.Buffer))
                    throw new InvalidGraphArgumentException($"Run: result {i} for '{node.Name}' shares storage with a constant or variable of the graph; pass a tensor of its own.");
        }
    }
}
