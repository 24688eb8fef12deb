namespace Nabla;

/// <summary>
/// Shares buffers between values whose lifetimes do not overlap. A value's buffer returns to the free list
/// after its last reader runs (fetched values keep theirs); inside a fused group, releases wait for the group's
/// end, because the group interleaves its members slice by slice. Each new value takes the smallest free
/// buffer of its dtype that fits, else grows the largest free one.
/// </summary>
internal static class BufferAssignment
{
    public static (int[] SlotBuffer, (DType, int)[] Buffers) Assign(Node[] order, Shape[] shapes, List<Plan.Step> steps, bool[] fetched, Fusion.Result fusion)
    {
        int count = steps.Count;
        var releaseAt = new int[order.Length];
        Array.Fill(releaseAt, -1);
        for (int i = 0; i < count; i++)
        {
            int at = fusion.GroupOf[i] >= 0 ? fusion.GroupEnd[fusion.GroupOf[i]] : i;
            foreach (var input in steps[i].Inputs) releaseAt[input] = Math.Max(releaseAt[input], at);
            int output = steps[i].Output;
            if (releaseAt[output] < 0) releaseAt[output] = at; // unread values die where they are made
        }
        // Buckets of slots to release after each step, as linked lists.
        var head = new int[count];
        Array.Fill(head, -1);
        var next = new int[order.Length];
        for (int s = 0; s < order.Length; s++)
            if (releaseAt[s] >= 0 && !fetched[s]) { next[s] = head[releaseAt[s]]; head[releaseAt[s]] = s; }

        var slotBuffer = new int[order.Length];
        Array.Fill(slotBuffer, -1);
        var buffers = new List<(DType DType, int Capacity)>();
        var free = new List<int>();
        for (int i = 0; i < count; i++)
        {
            int slot = steps[i].Output;
            if (!fusion.Internal[slot])
            {
                int size = shapes[slot].Size, best = BestFit(free, buffers, order[slot].DType, size);
                if (best < 0) { best = buffers.Count; buffers.Add((order[slot].DType, size)); }
                else
                {
                    free[free.IndexOf(best)] = free[^1];
                    free.RemoveAt(free.Count - 1);
                    if (buffers[best].Capacity < size) buffers[best] = (buffers[best].DType, size);
                }
                slotBuffer[slot] = best;
            }
            for (int s = head[i]; s >= 0; s = next[s])
                if (slotBuffer[s] >= 0) free.Add(slotBuffer[s]);
        }
        return (slotBuffer, [.. buffers]);
    }

    private static int BestFit(List<int> free, List<(DType DType, int Capacity)> buffers, DType dtype, int size)
    {
        int best = -1;
        foreach (int b in free)
        {
            if (buffers[b].DType != dtype) continue;
            if (best < 0) { best = b; continue; }
            bool fits = buffers[b].Capacity >= size, bestFits = buffers[best].Capacity >= size;
            if (fits && (!bestFits || buffers[b].Capacity < buffers[best].Capacity)) best = b;
            else if (!fits && !bestFits && buffers[b].Capacity > buffers[best].Capacity) best = b;
        }
        return best;
    }
}
