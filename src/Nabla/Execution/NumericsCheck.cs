namespace Nabla;

/// <summary>Finds NaN and ±∞ in an op's output and names the op that produced it.</summary>
internal static class NumericsCheck
{
    /// <summary>Flat index of the first NaN or ±∞ of t, or -1.</summary>
    public static int FirstNonFinite(Tensor t)
    {
        if (t.DType == DType.Float32)
        {
            var s = t.Span<float>();
            for (int i = 0; i < s.Length; i++) if (!float.IsFinite(s[i])) return i;
        }
        else
        {
            var s = t.Span<double>();
            for (int i = 0; i < s.Length; i++) if (!double.IsFinite(s[i])) return i;
        }
        return -1;
    }

    /// <summary>Throws when <paramref name="output"/> of <paramref name="node"/> holds a non-finite element.</summary>
    public static void Check(Node node, ReadOnlySpan<Tensor> inputs, Tensor output, string? message = null)
    {
        int bad = FirstNonFinite(output);
        if (bad < 0) return;
        throw Failure(node, inputs, output, bad, message);
    }

    public static NonFiniteValueException Failure(Node node, ReadOnlySpan<Tensor> inputs, Tensor output, int flat, string? message)
    {
        var index = Unflatten(output.Shape, flat);
        double value = output.GetFlat(flat);
        string? badInput = null;
        for (int i = 0; i < inputs.Length && badInput is null; i++)
            if (inputs[i] is { } input && FirstNonFinite(input) >= 0) badInput = node.Inputs[i].Name;
        string what = double.IsNaN(value) ? "NaN" : value > 0 ? "+∞" : "−∞";
        string origin = badInput is null
            ? "Its inputs were all finite, so this op created it; check the values it was given (e.g. Log of 0, a division by 0, an overflowing Exp)."
            : $"Input '{badInput}' already held a NaN or ∞; this op passed it on, so look at the op that computes '{badInput}'.";
        return new NonFiniteValueException(
            $"{(message is null ? "" : message + ": ")}{node.OpType} '{node.Name}' produced {what} at index [{string.Join(", ", index)}] of its output {output.Shape}. {origin}",
            node, index, value, badInput is null);
    }

    private static int[] Unflatten(Shape shape, int flat)
    {
        var index = new int[shape.Rank];
        for (int k = shape.Rank - 1; k >= 0; k--) { index[k] = flat % shape[k]; flat /= shape[k]; }
        return index;
    }
}
