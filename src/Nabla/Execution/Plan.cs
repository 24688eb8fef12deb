using System.Collections.Concurrent;

namespace Nabla.Execution;

/// <summary>
/// A compiled run for one signature (fetches, fed nodes and their shapes): the pruned subgraph in
/// topological order, each value's concrete shape, fused elementwise groups, and buffers shared by values
/// whose lifetimes do not overlap. Runs rent a context (tensors over those buffers), so a steady-state run
/// allocates only its results.
/// </summary>
internal sealed class Plan
{
    /// <summary>One op to run, or (when <see cref="Group"/> ≥ 0) a fused group that starts with this op.</summary>
    internal readonly record struct Step(Op Op, Node Node, int[] Inputs, int Output, int Group);

    public required Node[] Fetches { get; init; }
    public required int[] FetchSlots { get; init; }
    /// <summary>Per fetch: true when a step computes it straight into a fresh result tensor (first fetch of that value).</summary>
    public required bool[] FetchOwned { get; init; }
    /// <summary>Every fed node with its shape and dtype (the feed part of the signature) and its slot, or -1 when pruned away.</summary>
    public required (Node Node, Shape Shape, DType DType, int Slot)[] Feeds { get; init; }
    public required Step[] Steps { get; init; }
    /// <summary>Per step, its op's forward bound for the node's dtype (null for a fused group's step).</summary>
    public required ForwardKernel?[] Kernels { get; init; }
    public required FusedGroup[] Groups { get; init; }
    public required Node[] SlotNodes { get; init; }
    public required Shape[] SlotShapes { get; init; }
    /// <summary>Buffer index per slot, or -1 for values that come from outside (feeds, constants, variables) or live in fused scratch rows.</summary>
    public required int[] SlotBuffer { get; init; }
    public required (DType DType, int Capacity)[] Buffers { get; init; }
    /// <summary>Constants and session variables, fixed for the plan's lifetime.</summary>
    public required (int Slot, Tensor Value)[] Fixed { get; init; }
    /// <summary>Slots of the variables that steps write in place (Assign, optimizer updates).</summary>
    public required int[] WrittenSlots { get; init; }
    /// <summary>Slots of the written variables that a step which may fail runs after: a run saves them first, to undo its writes on failure.</summary>
    public required int[] SavedSlots { get; init; }

    /// <summary>Whether a run saves variables before it starts (see <see cref="SavedSlots"/>).</summary>
    public bool SnapshotState => SavedSlots.Length > 0;

    /// <summary>When the session last looked this plan up (its LRU clock).</summary>
    public long LastUsed;

    private readonly ConcurrentBag<RunContext> _contexts = [];
    /// <summary>The last returned context: the common single-threaded case skips the bag.</summary>
    private RunContext? _spare;

    /// <summary>Whether a run with these fetches and feeds has this plan's signature.</summary>
    public bool Matches(IReadOnlyList<Node> fetches, Nabla.Feeds? feeds)
    {
        if (Fetches.Length != fetches.Count) return false;
        for (int i = 0; i < Fetches.Length; i++)
            if (!ReferenceEquals(Fetches[i], fetches[i])) return false;
        if ((feeds?.Count ?? 0) != Feeds.Length) return false;
        foreach (var (node, shape, dtype, _) in Feeds)
            if (!feeds!.TryGetValue(node, out var value) || value is null || value.DType != dtype || value.Shape != shape) return false;
        return true;
    }

    /// <summary>Puts the fed tensors into their slots; a fed variable that a step writes gets a copy, so the caller's tensor is never modified.</summary>
    public void BindFeeds(Tensor?[] values, Nabla.Feeds? feeds)
    {
        foreach (var (node, _, _, slot) in Feeds)
            if (slot >= 0) values[slot] = WrittenSlots.Length > 0 && Array.IndexOf(WrittenSlots, slot) >= 0 ? feeds![node].Clone() : feeds![node];
    }

    /// <summary>Copies of the variables the steps write, taken before a run.</summary>
    public Tensor[] SaveState(RunContext ctx)
    {
        // The copies live with the context and are reused by its next run, so a steady-state run allocates nothing here.
        var saved = ctx.Saved ??= new Tensor[SavedSlots.Length];
        for (int i = 0; i < saved.Length; i++)
        {
            if (ctx.Values[SavedSlots[i]] is not { } v) { saved[i] = null!; continue; }
            if (saved[i] is { } copy && copy.Shape == v.Shape && copy.DType == v.DType) v.CopyTo(copy);
            else saved[i] = v.Clone();
        }
        return saved;
    }

    /// <summary>Puts back the variables saved by <see cref="SaveState"/> (fed copies are not restored: they are discarded).</summary>
    public void RestoreState(Tensor?[] values, Tensor[] saved)
    {
        for (int i = 0; i < saved.Length; i++)
            if (saved[i] is { } s && values[SavedSlots[i]] is { } v && IsFixed(SavedSlots[i])) s.CopyTo(v);
    }

    private bool IsFixed(int slot)
    {
        foreach (var (s, _) in Fixed) if (s == slot) return true;
        return false;
    }

    public int BufferCount => Buffers.Length;

    /// <summary>Ops a run executes: unfused steps plus every member of each fused group.</summary>
    public int OpCount
    {
        get
        {
            int count = 0;
            foreach (var step in Steps) count += step.Group >= 0 ? Groups[step.Group].Members.Length : 1;
            return count;
        }
    }

    internal sealed class RunContext
    {
        public required Tensor?[] Values;
        public required Tensor[][] StepInputs;
        public required FusedGroup.State[] Groups;
        /// <summary>This context's copies of the variables a run may have to restore (see <see cref="SaveState"/>).</summary>
        public Tensor[]? Saved;
    }

    public RunContext Rent()
    {
        if (Interlocked.Exchange(ref _spare, null) is { } spare) return spare;
        if (_contexts.TryTake(out var ctx)) return ctx;
        var arrays = new Array[Buffers.Length];
        for (int b = 0; b < arrays.Length; b++) arrays[b] = Tensor.Allocate(Buffers[b].DType, Buffers[b].Capacity);
        var values = new Tensor?[SlotNodes.Length];
        for (int s = 0; s < values.Length; s++)
            if (SlotBuffer[s] >= 0) values[s] = new Tensor(SlotShapes[s], SlotNodes[s].DType, arrays[SlotBuffer[s]]);
        foreach (var (slot, value) in Fixed) values[slot] = value;
        var stepInputs = new Tensor[Steps.Length][];
        for (int i = 0; i < stepInputs.Length; i++) stepInputs[i] = new Tensor[Steps[i].Inputs.Length];
        var groups = new FusedGroup.State[Groups.Length];
        for (int g = 0; g < groups.Length; g++) groups[g] = new FusedGroup.State(Groups[g], values);
        return new RunContext { Values = values, StepInputs = stepInputs, Groups = groups };
    }

    public void Return(RunContext ctx)
    {
        foreach (var feed in Feeds)
            if (feed.Slot >= 0) ctx.Values[feed.Slot] = null;
        for (int i = 0; i < FetchSlots.Length; i++)
            if (FetchOwned[i]) ctx.Values[FetchSlots[i]] = null;
        if (Interlocked.CompareExchange(ref _spare, ctx, null) is not null) _contexts.Add(ctx);
    }
}
