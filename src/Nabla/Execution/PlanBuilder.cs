namespace Nabla;

/// <summary>Compiles a <see cref="Plan"/>: prune, order, infer concrete shapes, fuse elementwise runs, assign buffers by liveness.</summary>
internal static class PlanBuilder
{
    public static Plan Build(Session session, IReadOnlyList<Node> fetches, Feeds? feeds)
    {
        var graph = session.Graph;
        foreach (var f in fetches)
            if (f.Graph != graph) throw new InvalidGraphArgumentException($"Run: fetch '{f.Name}' belongs to another graph than the session's.");

        int nodeCount = graph.Nodes.Count;
        var fedValue = new Tensor?[nodeCount];
        if (feeds is not null)
            foreach (var (node, value) in feeds)
            {
                if (node.Graph != graph) throw new InvalidGraphArgumentException($"Run: fed node '{node.Name}' belongs to another graph than the session's.");
                ArgumentNullException.ThrowIfNull(value, $"feed of '{node.Name}'");
                CheckFeed(node, value);
                fedValue[node.Id] = value;
            }

        // Prune: walk back from the fetches, stopping at fed nodes. Ids are a topological order.
        var needed = new bool[nodeCount];
        var stack = new Stack<Node>(fetches);
        int neededCount = 0;
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (needed[n.Id]) continue;
            needed[n.Id] = true;
            neededCount++;
            if (fedValue[n.Id] is not null) continue;
            foreach (var input in n.InputArray) stack.Push(input);
        }
        var order = new Node[neededCount];
        var slotOf = new int[nodeCount];
        for (int id = 0, s = 0; id < nodeCount; id++)
            if (needed[id]) { slotOf[id] = s; order[s++] = graph.Nodes[id]; }

        var shapes = new Shape[order.Length];
        var fixedValues = new List<(int, Tensor)>();
        var steps = new List<Plan.Step>();
        for (int s = 0; s < order.Length; s++)
        {
            var node = order[s];
            if (fedValue[node.Id] is { } fed) shapes[s] = fed.Shape;
            else if (node.Op is PlaceholderOp ph)
                throw new MissingFeedException(
                    $"You must feed a value for placeholder '{node.Name}' with dtype {ph.DeclaredDType.Name()} and shape {ph.DeclaredShape}: add it to the Feeds passed to Run.");
            else if (node.Op is ConstantOp c) { shapes[s] = c.Value.Shape; fixedValues.Add((s, c.Value)); }
            else if (node.Op is VariableOp) { var v = session.VariableTensor(node); shapes[s] = v.Shape; fixedValues.Add((s, v)); }
            else
            {
                var nodeInputs = node.InputArray;
                var inputs = new int[nodeInputs.Length];
                var inputShapes = new Shape[nodeInputs.Length];
                for (int i = 0; i < inputs.Length; i++) { inputs[i] = slotOf[nodeInputs[i].Id]; inputShapes[i] = shapes[inputs[i]]; }
                var shape = node.Op.InferShape(node, inputShapes);
                if (!shape.IsFullyKnown)
                    throw new ShapeMismatchException($"{node.OpType} '{node.Name}': the shape {shape} is still unknown when running; feed shapes that fix it.");
                shapes[s] = shape;
                steps.Add(new Plan.Step(node.Op, node, inputs, s, -1));
            }
        }

        var fetchSlots = new int[fetches.Count];
        var fetched = new bool[order.Length];
        for (int i = 0; i < fetchSlots.Length; i++) { fetchSlots[i] = slotOf[fetches[i].Id]; fetched[fetchSlots[i]] = true; }
        var produced = new bool[order.Length];
        foreach (var step in steps) produced[step.Output] = true;
        var fetchOwned = new bool[fetchSlots.Length];
        for (int i = 0; i < fetchSlots.Length; i++)
            fetchOwned[i] = produced[fetchSlots[i]] && Array.IndexOf(fetchSlots, fetchSlots[i]) == i;
        var fusion = Fusion.Find(steps, shapes, order, fetched, session.FuseElementwise);
        var (slotBuffer, buffers) = BufferAssignment.Assign(order, shapes, steps, fetched, fusion);
        var schedule = Schedule(steps, fusion);
        var (writtenSlots, savedSlots) = StateWrites.Find(schedule, order);
        return new Plan
        {
            Fetches = [.. fetches],
            FetchSlots = fetchSlots,
            FetchOwned = fetchOwned,
            Feeds = feeds is null ? [] : [.. feeds.Select(kv => (kv.Key, kv.Value.Shape, kv.Value.DType, needed[kv.Key.Id] ? slotOf[kv.Key.Id] : -1))],
            Steps = schedule,
            Groups = fusion.Groups,
            SlotNodes = order,
            SlotShapes = shapes,
            SlotBuffer = slotBuffer,
            Buffers = buffers,
            Fixed = [.. fixedValues],
            WrittenSlots = writtenSlots,
            SavedSlots = savedSlots,
        };
    }

    /// <summary>The steps to execute: unfused steps as they are, each fused run as one step at its first position.</summary>
    private static Plan.Step[] Schedule(List<Plan.Step> steps, Fusion.Result fusion)
    {
        var result = new List<Plan.Step>(steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            int g = fusion.GroupOf[i];
            if (g < 0) result.Add(steps[i]);
            else if (i == 0 || fusion.GroupOf[i - 1] != g) result.Add(steps[i] with { Group = g });
        }
        return [.. result];
    }

    private static void CheckFeed(Node node, Tensor fed)
    {
        if (fed.DType != node.DType)
            throw new FeedException($"Cannot feed a {fed.DType.Name()} value to '{node.Name}' ({node.OpType}) of dtype {node.DType.Name()}; convert it with Tensor.Cast.");
        if (!node.Shape.IsCompatibleWith(fed.Shape))
            throw new FeedException($"Cannot feed a value of shape {fed.Shape} for '{node.Name}' ({node.OpType}), which has shape {node.Shape}.");
    }
}
