namespace Nabla.Execution;

/// <summary>
/// Shares buffers between values whose lifetimes do not overlap. A value's buffer returns to the free list
/// after its last reader runs (fetched values keep theirs); inside a fused group, releases wait for the group's
/// end, because the group interleaves its members slice by slice. Each new value takes the smallest free
/// buffer of its dtype that fits, else grows the largest free one. A view (see <see cref="Aliasing"/>) takes its
/// source's buffer, whose lifetime then ends after the view's last reader too.
/// </summary>
internal static class BufferAssignment
{
    public static (int[] SlotBuffer, (DType, int)[] Buffers) Assign(Node[] order, Shape[] shapes, List<Plan.Step> steps, bool[] fetched, Fusion.Result fusion, Aliases aliases)
    {
        var viewOf = aliases.ViewOf;
        int count = steps.Count;
        var releaseAt = new int[order.Length];
        Array.Fill(releaseAt, -1);
        for (int i = 0; i < count; i++)
        {
            int at = fusion.GroupOf[i] >= 0 ? fusion.GroupEnd[fusion.GroupOf[i]] : i;
            foreach (var input in steps[i].Inputs)
            {
                int owner = viewOf[input] >= 0 ? viewOf[input] : input;
                releaseAt[owner] = Math.Max(releaseAt[owner], at);
            }
            int output = steps[i].Output;
            if (releaseAt[output] < 0) releaseAt[output] = at; // unread values die where they are made
        }
        // Buckets of slots to release after each step, as linked lists.
        var head = new int[count];
        Array.Fill(head, -1);
        var next = new int[order.Length];
        for (int s = 0; s < order.Length; s++)
            if (releaseAt[s] >= 0 && !fetched[s] && viewOf[s] < 0) { next[s] = head[releaseAt[s]]; head[releaseAt[s]] = s; }

        var slotBuffer = new int[order.Length];
        Array.Fill(slotBuffer, -1);
        var buffers = new List<(DType DType, int Capacity)>();
        // Free buffers per dtype, ordered by (capacity, index): best fit in O(log n).
        var free = new Dictionary<DType, SortedSet<(int Capacity, int Buffer)>>();
        for (int i = 0; i < count; i++)
        {
            int slot = steps[i].Output;
            if (viewOf[slot] >= 0) slotBuffer[slot] = slotBuffer[viewOf[slot]];
            else if (!fusion.Internal[slot] && !fetched[slot]) // fetched values are written straight into the returned tensors
            {
                int size = shapes[slot].Size, best;
                var dtype = order[slot].DType;
                if (!free.TryGetValue(dtype, out var set)) free[dtype] = set = [];
                if (set.Count == 0) { best = buffers.Count; buffers.Add((dtype, size)); }
                else
                {
                    var chosen = set.Max.Capacity >= size ? set.GetViewBetween((size, 0), (int.MaxValue, int.MaxValue)).Min : set.Max;
                    set.Remove(chosen);
                    best = chosen.Buffer;
                    if (buffers[best].Capacity < size) buffers[best] = (dtype, size);
                }
                slotBuffer[slot] = best;
            }
            for (int s = head[i]; s >= 0; s = next[s])
                if (slotBuffer[s] >= 0) free[order[s].DType].Add((buffers[slotBuffer[s]].Capacity, slotBuffer[s]));
        }
        return (slotBuffer, [.. buffers]);
    }
}
