using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>The op table rows for the sequence-model ops (layer norm, erf and GELU, masked softmax), with naive references in <see cref="SequenceReference"/>.</summary>
internal static class SequenceOpCases
{
    private static Input In(params int[] dims) => new(new Shape(dims), S.Normal);
    private static Input Const(Sampler s, params int[] dims) => new(new Shape(dims), s, Differentiable: false);

    public static IEnumerable<OpCase> All()
    {
        yield return new("LayerNorm rows of 5", typeof(LayerNormOp), [In(3, 5)], c => c.X[0].LayerNorm(1e-3), x => SequenceReference.LayerNorm(x[0], 1e-3));
        yield return new("LayerNorm rank 3 rows of 7", typeof(LayerNormOp), [In(2, 2, 7)], c => c.X[0].LayerNorm(), x => SequenceReference.LayerNorm(x[0], 1e-5));
        yield return new("LayerNorm rows of 37 (vectors and a rest)", typeof(LayerNormOp), [In(3, 37)], c => c.X[0].LayerNorm(1e-3), x => SequenceReference.LayerNorm(x[0], 1e-3));
        yield return new("LayerNormGrad rows of 37", typeof(LayerNormGradOp), [In(2, 37), In(2, 37)],
            c => Node.LayerNormGrad(c.X[0], c.X[1], 1e-2), x => SequenceReference.LayerNormGrad(x[0], x[1], 1e-2));
        yield return new("LayerNorm rows of 1", typeof(LayerNormOp), [In(4, 1)], c => c.X[0].LayerNorm(0.1), x => SequenceReference.LayerNorm(x[0], 0.1));
        yield return new("LayerNormGrad", typeof(LayerNormGradOp), [In(3, 4), In(3, 4)],
            c => Node.LayerNormGrad(c.X[0], c.X[1], 1e-2), x => SequenceReference.LayerNormGrad(x[0], x[1], 1e-2));
        yield return new("LayerNormGrad rows of 9", typeof(LayerNormGradOp), [In(2, 9), In(2, 9)],
            c => Node.LayerNormGrad(c.X[0], c.X[1], 1e-5), x => SequenceReference.LayerNormGrad(x[0], x[1], 1e-5));

        yield return new OpCase("Erf", typeof(ErfOp), [In(3, 5)], c => c.X[0].Erf(), x => Map(x[0], SequenceReference.Erf)).AtSpecialValues();
        yield return new("Erf beyond 3", typeof(ErfOp), [new(new Shape(2, 3), (r, n) => S.Positive(r, n).Select(v => (v + 2) * (r.Next(2) == 0 ? 1 : -1)).ToArray())],
            c => c.X[0].Erf(), x => Map(x[0], SequenceReference.Erf));
        yield return new("Gelu exact (composite)", typeof(MulOp), [In(3, 4)], c => c.X[0].Gelu(), x => Map(x[0], v => v * 0.5 * (1 + SequenceReference.Erf(v / Math.Sqrt(2)))));
        yield return new("Gelu tanh form (composite)", typeof(MulOp), [In(3, 4)], c => c.X[0].Gelu(approximate: true),
            x => Map(x[0], v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))));

        yield return new("MaskedSoftmax bool mask", typeof(SoftmaxOp), [In(2, 3, 4), Const(S.Mask, 3, 4)],
            c => c.X[0].MaskedSoftmax(c.X[1].NotEqual(c.Graph.Scalar(0, c.DType))), x => SequenceReference.MaskedSoftmax(x[0], x[1], additive: false));
        yield return new("MaskedSoftmax additive mask", typeof(SoftmaxOp), [In(3, 4), In(1, 4)],
            c => c.X[0].MaskedSoftmax(c.X[1]), x => SequenceReference.MaskedSoftmax(x[0], x[1], additive: true));
        yield return new("MaskedSoftmax causal", typeof(SoftmaxOp), [In(2, 4, 4)],
            c => c.X[0].MaskedSoftmax(Node.CausalMask(c.Graph, 4)), x => SequenceReference.MaskedSoftmax(x[0], SequenceReference.LowerTriangle(4), additive: false));
    }
}

/// <summary>Naive references for the sequence ops: loops over rows in float64.</summary>
internal static class SequenceReference
{
    /// <summary>(x − mean)/√(var + ε) for each row of the last axis.</summary>
    public static Tensor LayerNorm(Tensor x, double epsilon)
    {
        int n = x.Shape[-1];
        var z = New(x.Shape);
        for (int o = 0; o < x.Size; o += n)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += x.GetFlat(o + i) / n;
            for (int i = 0; i < n; i++) variance += Math.Pow(x.GetFlat(o + i) - mean, 2) / n;
            for (int i = 0; i < n; i++) z.SetFlat(o + i, (x.GetFlat(o + i) - mean) / Math.Sqrt(variance + epsilon));
        }
        return z;
    }

    /// <summary>Jᵀg per row, with the Jacobian of layer normalization written out entry by entry: J_ij = r(δ_ij − 1/n − y_i·y_j/n).</summary>
    public static Tensor LayerNormGrad(Tensor x, Tensor g, double epsilon)
    {
        int n = x.Shape[-1];
        var y = LayerNorm(x, epsilon);
        var z = New(x.Shape);
        for (int o = 0; o < x.Size; o += n)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < n; i++) mean += x.GetFlat(o + i) / n;
            for (int i = 0; i < n; i++) variance += Math.Pow(x.GetFlat(o + i) - mean, 2) / n;
            double r = 1 / Math.Sqrt(variance + epsilon);
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                    sum += g.GetFlat(o + i) * r * ((i == j ? 1 : 0) - 1.0 / n - y.GetFlat(o + i) * y.GetFlat(o + j) / n);
                z.SetFlat(o + j, sum);
            }
        }
        return z;
    }

    /// <summary>erf by Simpson's rule on (2/√π)e^(−t²) over [0, min(|x|, 7)] with 4000 intervals (beyond 7 the rest is below 1e-22).</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Min(Math.Abs(x), 7), h = a / 4000, sum = 0;
        for (int k = 0; k <= 4000; k++)
        {
            double weight = k == 0 || k == 4000 ? 1 : k % 2 == 1 ? 4 : 2;
            sum += weight * Math.Exp(-(k * h) * (k * h));
        }
        return Math.Sign(x) * sum * h / 3 * 2 / Math.Sqrt(Math.PI);
    }

    /// <summary>Softmax of each last-axis row over the positions the mask keeps (bool: ≠ 0) or of x + mask (additive).</summary>
    public static Tensor MaskedSoftmax(Tensor x, Tensor mask, bool additive)
    {
        int n = x.Shape[-1];
        var z = New(x.Shape);
        foreach (var i in Indices(x.Shape))
        {
            if (i[^1] != 0) continue;
            var row = new double[n];
            var kept = new bool[n];
            for (int j = 0; j < n; j++)
            {
                int[] at = [.. i[..^1], j];
                double m = At(mask, at);
                kept[j] = additive || m != 0;
                row[j] = additive ? x[at] + m : x[at];
            }
            if (!kept.Contains(true)) { Array.Fill(kept, true); Array.Fill(row, 0.0); } // every position dropped: uniform, as −1e9 everywhere gives
            double max = row.Where((_, j) => kept[j]).Max(), total = 0;
            for (int j = 0; j < n; j++) total += kept[j] ? Math.Exp(row[j] - max) : 0;
            for (int j = 0; j < n; j++) z[[.. i[..^1], j]] = kept[j] ? Math.Exp(row[j] - max) / total : 0;
        }
        return z;
    }

    /// <summary>1 where j ≤ i, else 0.</summary>
    public static Tensor LowerTriangle(int n)
    {
        var z = New(new Shape(n, n));
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) z[i, j] = 1;
        return z;
    }
}
