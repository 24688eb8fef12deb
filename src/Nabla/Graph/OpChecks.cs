namespace Nabla;

/// <summary>Shared checks for op shape and dtype rules; every message names the op and its operands.</summary>
internal static class OpChecks
{
    public static string Describe(Node n) => $"'{n.Name}' {n.Shape}";

    public static DType SameDType(Node node)
    {
        if (node.Inputs.Count == 0) throw new InvalidOperationException("SameDType needs inputs");
        var dtype = node.Inputs[0].DType;
        for (int i = 1; i < node.Inputs.Count; i++)
            if (node.Inputs[i].DType != dtype)
                throw new DTypeMismatchException(
                    $"{node.Op.Type} '{node.Name}': operand '{node.Inputs[0].Name}' is {dtype.Name()} but operand '{node.Inputs[i].Name}' is {node.Inputs[i].DType.Name()}. Convert one with Cast(DType).");
        return dtype;
    }

    public static ShapeMismatchException Mismatch(Node node, Shape[] shapes, string detail)
    {
        var operands = string.Join(" and ", node.Inputs.Select((n, i) => $"'{n.Name}' {shapes[i]}"));
        return new ShapeMismatchException($"{node.Op.Type} '{node.Name}': operands {operands}: {detail}");
    }

    /// <summary>NumPy broadcasting of any number of shapes; -1 dims stay unknown unless another operand fixes them.</summary>
    public static Shape Broadcast(Node node, Shape[] shapes)
    {
        int rank = 0;
        foreach (var s in shapes)
        {
            if (s.IsUnknownRank) return Shape.Unknown;
            rank = Math.Max(rank, s.Rank);
        }
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int d = 1;
            bool unknown = false;
            foreach (var s in shapes)
            {
                int j = i - (rank - s.Rank);
                if (j < 0) continue;
                int e = s[j];
                if (e == -1) { unknown = true; continue; }
                if (e == 1) continue;
                if (d != 1 && d != e)
                    throw Mismatch(node, shapes, $"cannot broadcast: dimension {i} (from the right: {rank - i}) is {d} vs {e}.");
                d = e;
            }
            dims[i] = d == 1 && unknown ? -1 : d;
        }
        return new Shape(dims);
    }

    /// <summary>Normalizes axes (negative count from the end), checks range and duplicates; null means all axes.</summary>
    public static int[] Axes(string opType, Node x, int[]? axes)
    {
        if (x.Shape.IsUnknownRank)
        {
            if (axes is null) return [];
            if (axes.Any(a => a < 0))
                throw new InvalidGraphArgumentException($"{opType} on '{x.Name}': negative axes need a known rank; give the input a shape.");
            return axes.Distinct().Order().ToArray();
        }
        int rank = x.Shape.Rank;
        if (axes is null) return Enumerable.Range(0, rank).ToArray();
        var result = new int[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank)
                throw new InvalidGraphArgumentException($"{opType} on '{x.Name}' {x.Shape}: axis {axes[i]} is out of range for rank {rank}.");
            result[i] = a;
        }
        if (result.Distinct().Count() != result.Length)
            throw new InvalidGraphArgumentException($"{opType} on '{x.Name}': axes [{string.Join(", ", axes)}] repeat an axis.");
        Array.Sort(result);
        return result;
    }
}
