namespace Nabla;

/// <summary>Compiles a <see cref="Plan"/>: prune, order, infer concrete shapes, assign buffers by liveness.</summary>
internal static class PlanBuilder
{
    public static Plan Build(Session session, IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        var graph = session.Graph;
        foreach (var f in fetches)
            if (f.Graph != graph) throw new InvalidGraphArgumentException($"Run: fetch '{f.Name}' belongs to another graph than the session's.");

        if (feeds is not null)
            foreach (var (node, value) in feeds)
            {
                if (node.Graph != graph) throw new InvalidGraphArgumentException($"Run: fed node '{node.Name}' belongs to another graph than the session's.");
                ArgumentNullException.ThrowIfNull(value, $"feed of '{node.Name}'");
                CheckFeed(node, value);
            }

        // Prune: walk back from the fetches, stopping at fed nodes.
        var needed = new HashSet<Node>();
        var stack = new Stack<Node>(fetches);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!needed.Add(n)) continue;
            if (feeds is not null && feeds.ContainsKey(n)) continue;
            foreach (var input in n.InputArray) stack.Push(input);
        }
        var order = needed.OrderBy(n => n.Id).ToArray();
        var slotOf = new Dictionary<Node, int>();
        for (int i = 0; i < order.Length; i++) slotOf[order[i]] = i;

        var shapes = new Shape[order.Length];
        var feedSlots = new Dictionary<Node, int>();
        var fixedValues = new List<(int, Tensor)>();
        var steps = new List<Plan.Step>();
        for (int s = 0; s < order.Length; s++)
        {
            var node = order[s];
            if (feeds is not null && feeds.TryGetValue(node, out var fed))
            {
                shapes[s] = fed.Shape;
                feedSlots[node] = s;
            }
            else if (node.Op is PlaceholderOp ph)
                throw new MissingFeedException(
                    $"You must feed a value for placeholder '{node.Name}' with dtype {ph.DeclaredDType.Name()} and shape {ph.DeclaredShape}: add it to the Feeds passed to Run.");
            else if (node.Op is ConstantOp c) { shapes[s] = c.Value.Shape; fixedValues.Add((s, c.Value)); }
            else if (node.Op is VariableOp) { var v = session.VariableTensor(node); shapes[s] = v.Shape; fixedValues.Add((s, v)); }
            else
            {
                var inputs = node.InputArray.Select(i => slotOf[i]).ToArray();
                var shape = node.Op.InferShape(node, inputs.Select(i => shapes[i]).ToArray());
                if (!shape.IsFullyKnown)
                    throw new ShapeMismatchException($"{node.OpType} '{node.Name}': the shape {shape} is still unknown when running; feed shapes that fix it.");
                shapes[s] = shape;
                steps.Add(new Plan.Step(node.Op, node, inputs, s));
            }
        }

        var (slotBuffer, buffers) = AssignBuffers(order, shapes, steps, fetches.Select(f => slotOf[f]).ToHashSet());
        return new Plan
        {
            Fetches = fetches.ToArray(),
            FetchSlots = fetches.Select(f => slotOf[f]).ToArray(),
            FeedSlots = feedSlots,
            FeedKeys = feeds is null ? [] : feeds.ToDictionary(kv => kv.Key, kv => (kv.Value.Shape, kv.Value.DType)),
            Steps = steps.ToArray(),
            SlotNodes = order,
            SlotShapes = shapes,
            SlotBuffer = slotBuffer,
            Buffers = buffers,
            Fixed = fixedValues.ToArray(),
        };
    }

    private static void CheckFeed(Node node, Tensor fed)
    {
        if (fed.DType != node.DType)
            throw new FeedException($"Cannot feed a {fed.DType.Name()} value to '{node.Name}' ({node.OpType}) of dtype {node.DType.Name()}; convert it with Tensor.Cast.");
        if (!node.Shape.IsCompatibleWith(fed.Shape))
            throw new FeedException($"Cannot feed a value of shape {fed.Shape} for '{node.Name}' ({node.OpType}), which has shape {node.Shape}.");
    }

    /// <summary>
    /// Liveness: a value's buffer returns to the free list after its last reader runs (fetched values stay).
    /// Each new value takes the smallest free buffer of its dtype that fits, else grows the largest free one.
    /// </summary>
    private static (int[] SlotBuffer, (DType, int)[] Buffers) AssignBuffers(Node[] order, Shape[] shapes, List<Plan.Step> steps, HashSet<int> fetched)
    {
        var lastUse = new int[order.Length];
        Array.Fill(lastUse, -1);
        for (int i = 0; i < steps.Count; i++)
            foreach (var input in steps[i].Inputs) lastUse[input] = i;
        var slotBuffer = new int[order.Length];
        Array.Fill(slotBuffer, -1);
        var buffers = new List<(DType DType, int Capacity)>();
        var free = new List<int>();
        for (int i = 0; i < steps.Count; i++)
        {
            int slot = steps[i].Output, size = shapes[slot].Size;
            var dtype = order[slot].DType;
            int best = -1;
            foreach (int b in free)
            {
                if (buffers[b].DType != dtype) continue;
                if (best < 0) { best = b; continue; }
                bool fits = buffers[b].Capacity >= size, bestFits = buffers[best].Capacity >= size;
                if (fits && (!bestFits || buffers[b].Capacity < buffers[best].Capacity)) best = b;
                else if (!fits && !bestFits && buffers[b].Capacity > buffers[best].Capacity) best = b;
            }
            if (best < 0) { best = buffers.Count; buffers.Add((dtype, size)); }
            else
            {
                free.Remove(best);
                if (buffers[best].Capacity < size) buffers[best] = (dtype, size);
            }
            slotBuffer[slot] = best;
            foreach (int input in steps[i].Inputs.Distinct())
                if (lastUse[input] == i && slotBuffer[input] >= 0 && !fetched.Contains(input)) free.Add(slotBuffer[input]);
            if (lastUse[slot] < 0 && !fetched.Contains(slot)) free.Add(best);
        }
        return (slotBuffer, buffers.ToArray());
    }
}
