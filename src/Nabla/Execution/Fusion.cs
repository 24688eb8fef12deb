namespace Nabla.Execution;

/// <summary>
/// Finds runs of consecutive steps that are elementwise over the same number of elements (operands of that size,
/// scalars, or values broadcast along all but one block of axes, such as a bias) and turns each run into a
/// <see cref="FusedGroup"/>. A value becomes a scratch row when only its own group reads it (or only
/// an op that does not read its inputs' values, such as Group) and it is not fetched.
/// </summary>
internal static class Fusion
{
    /// <summary>Shorter loops gain nothing from slicing.</summary>
    public const int MinLength = 1024;

    public sealed class Result
    {
        /// <summary>Group index per step, or -1.</summary>
        public required int[] GroupOf { get; init; }
        /// <summary>Per group, the index of its last step.</summary>
        public required int[] GroupEnd { get; init; }
        /// <summary>Slots that live in scratch rows and need no tensor.</summary>
        public required bool[] Internal { get; init; }
        public required FusedGroup[] Groups { get; init; }

        /// <summary>The steps to execute: unfused steps as they are (less the <paramref name="skipped"/> ones), each fused run as one step at its first position.</summary>
        public Plan.Step[] Schedule(List<Plan.Step> steps, bool[] skipped)
        {
            var result = new List<Plan.Step>(steps.Count);
            for (int i = 0; i < steps.Count; i++)
            {
                int g = GroupOf[i];
                if (g < 0) { if (!skipped[i]) result.Add(steps[i]); }
                else if (i == 0 || GroupOf[i - 1] != g) result.Add(steps[i] with { Group = g });
            }
            return [.. result];
        }
    }

    /// <summary>Groups for these steps; none when <paramref name="enabled"/> is false.</summary>
    public static Result Find(IReadOnlyList<Plan.Step> steps, Shape[] shapes, Node[] order, bool[] fetched, bool enabled)
    {
        int count = steps.Count;
        var groupOf = new int[count];
        Array.Fill(groupOf, -1);
        var ends = new List<int>();
        var starts = new List<int>();
        var reductionOutputs = new HashSet<int>();
        var kinds = new (FusedKind Kind, int Length)?[count];
        for (int i = 0; enabled && i < count; i++) kinds[i] = Classify(steps[i], shapes, order);
        for (int i = 0; i < count;)
        {
            var first = kinds[i];
            if (first is null) { i++; continue; }
            var dtype = order[steps[i].Output].DType;
            reductionOutputs.Clear();
            int j = i;
            while (j < count && kinds[j] is { } c && c.Length == first.Value.Length
                   && order[steps[j].Output].DType == dtype && !ReadsAny(steps[j], reductionOutputs))
            {
                if (c.Kind == FusedKind.Sum) reductionOutputs.Add(steps[j].Output);
                j++;
            }
            // Copies (reshapes, same-size sums and broadcasts) at either end of a run are left to the alias pass, where
            // they cost nothing; inside the group each would write a row.
            int start = i, end = j;
            while (end > start && kinds[end - 1]!.Value.Kind == FusedKind.Copy) end--;
            while (start < end && kinds[start]!.Value.Kind == FusedKind.Copy) start++;
            // A lone step is worth a group only when the group would split it over cores.
            if (end - start >= 2 || (end > start && first.Value.Length >= FusedGroup.ParallelLength))
            {
                for (int s = start; s < end; s++) groupOf[s] = starts.Count;
                starts.Add(start);
                ends.Add(end - 1);
            }
            i = Math.Max(j, i + 1);
        }

        var producer = new int[shapes.Length];
        Array.Fill(producer, -1);
        for (int i = 0; i < count; i++) producer[steps[i].Output] = i;
        var isInternal = new bool[shapes.Length];
        for (int s = 0; s < shapes.Length; s++)
            isInternal[s] = producer[s] >= 0 && groupOf[producer[s]] >= 0 && !fetched[s]
                && kinds[producer[s]]!.Value.Kind != FusedKind.Sum;
        for (int i = 0; i < count; i++)
            foreach (int input in steps[i].Inputs)
                if (isInternal[input] && groupOf[i] != groupOf[producer[input]] && steps[i].Op.ReadsInputValues)
                    isInternal[input] = false;

        var groups = new FusedGroup[starts.Count];
        for (int g = 0; g < groups.Length; g++) groups[g] = Build(steps, starts[g], ends[g], shapes, order, isInternal);
        return new Result { GroupOf = groupOf, GroupEnd = [.. ends], Internal = isInternal, Groups = groups };
    }

    private static bool ReadsAny(Plan.Step step, HashSet<int> slots)
    {
        foreach (int input in step.Inputs) if (slots.Contains(input)) return true;
        return false;
    }

    /// <summary>How a step would run inside a group, and over how many elements; null when it cannot be fused.</summary>
    private static (FusedKind Kind, int Length)? Classify(Plan.Step step, Shape[] shapes, Node[] order)
    {
        int outSize = shapes[step.Output].Size;
        var dtype = order[step.Output].DType;
        if (!dtype.IsFloatingPoint()) return null; // fused groups and IChunkOp run float32 and float64 only
        int in0 = shapes[step.Inputs.Length > 0 ? step.Inputs[0] : step.Output].Size;
        (FusedKind, int)? result = step.Op.FusionRole switch
        {
            FusionRole.Elementwise when step.Op is IChunkOp && step.Inputs.Length is 1 or 2
                && AllElementwise(step, shapes, order, outSize, dtype) => (FusedKind.Elementwise, outSize),
            FusionRole.Broadcast when in0 == 1 => (FusedKind.Fill, outSize),
            FusionRole.Broadcast or FusionRole.Sum when in0 == outSize => (FusedKind.Copy, outSize),
            FusionRole.Sum when outSize == 1 => (FusedKind.Sum, in0),
            FusionRole.Assign when in0 == outSize && shapes[step.Inputs[1]].Size == outSize => (FusedKind.Assign, outSize),
            _ => null,
        };
        return result is { } r && r.Item2 >= MinLength ? result : null;
    }

    private static bool AllElementwise(Plan.Step step, Shape[] shapes, Node[] order, int size, DType dtype)
    {
        foreach (int input in step.Inputs)
        {
            int s = shapes[input].Size;
            if ((s != size && s != 1 && Runs(shapes[input], shapes[step.Output]) is null) || order[input].DType != dtype) return false;
        }
        return true;
    }

    /// <summary>
    /// How an operand that broadcasts over the output except on one block of adjacent axes (a bias [C, 1, 1] against
    /// [N, C, H, W], or [C] against [N, C]) is read slice by slice: element e of the output uses value (e / inner) % outer.
    /// Null for any other broadcast, and for runs of 2 to 15 equal values.
    /// </summary>
    internal static (int Inner, int Outer)? Runs(Shape operand, Shape output)
    {
        int offset = output.Rank - operand.Rank;
        if (offset < 0 || operand.Size <= 1 || operand.Size == output.Size) return null;
        int last = -1;
        for (int axis = 0; axis < operand.Rank; axis++)
        {
            int d = operand[axis];
            if (d == 1) continue;
            if (d != output[axis + offset] || (last >= 0 && last != axis - 1)) return null;
            last = axis;
        }
        int inner = 1;
        for (int axis = last + 1 + offset; axis < output.Rank; axis++) inner *= output[axis];
        // Runs shorter than a vector would be expanded one element at a time; a bias of a dense layer (inner 1) is copied whole.
        return inner == 1 || inner >= MinRun ? (inner, operand.Size) : null;
    }

    /// <summary>The shortest run of equal values worth expanding by fills.</summary>
    private const int MinRun = 16;

    private static FusedGroup Build(IReadOnlyList<Plan.Step> steps, int start, int end, Shape[] shapes, Node[] order, bool[] isInternal)
    {
        var scratchOf = new Dictionary<int, int>();
        var reductions = new List<int>();
        var members = new FusedMember[end - start + 1];
        int length = 0, runOperands = 0;
        for (int i = start; i <= end; i++)
        {
            var step = steps[i];
            var (kind, len) = Classify(step, shapes, order)!.Value;
            length = len;
            Operand In(int k) => k < step.Inputs.Length ? Read(step.Inputs[k]) : Operand.None;
            Operand Read(int slot)
            {
                if (isInternal[slot]) return new Operand(slot, scratchOf[slot], false);
                if (Runs(shapes[slot], shapes[step.Output]) is not { } runs) return new Operand(slot, -1, shapes[slot].Size == 1);
                runOperands++;
                return new Operand(slot, -1, false, runs.Inner, runs.Outer, runOperands - 1);
            }
            Operand output;
            if (isInternal[step.Output]) { scratchOf[step.Output] = scratchOf.Count; output = new Operand(step.Output, scratchOf[step.Output], false); }
            else output = new Operand(step.Output, -1, false);
            int reduction = -1;
            if (kind == FusedKind.Sum) { reduction = reductions.Count; reductions.Add(step.Output); }
            // BroadcastTo and SumTo read their second input only for its shape.
            var y = kind == FusedKind.Elementwise || kind == FusedKind.Assign ? In(1) : Operand.None;
            members[i - start] = new FusedMember(kind, step.Op as IChunkOp, In(0), y, output, reduction);
        }
        return new FusedGroup
        {
            Length = length,
            DType = order[steps[start].Output].DType,
            Members = members,
            ScratchCount = scratchOf.Count,
            RunCount = runOperands,
            ReductionSlots = [.. reductions],
        };
    }
}
