using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>
/// The op table rows for integer and bool results and ids: arg-reductions, top-k, cumulative sums, ranges, casts to
/// integers and bools, and ids given as int32/int64. Naive references below; integer outputs compare as numbers.
/// </summary>
internal static class IntegerOpCases
{
    private static Input In(params int[] dims) => new(new Shape(dims), S.Normal);
    private static Input In(Sampler s, params int[] dims) => new(new Shape(dims), s);
    private static Input Const(Sampler s, params int[] dims) => new(new Shape(dims), s, Differentiable: false);

    /// <summary>Integer ids in [0, count) (stored as floats, cast to an integer dtype by the row).</summary>
    private static Sampler Ids(int count) => (r, n) => Enumerable.Range(0, n).Select(_ => (double)r.Next(count)).ToArray();

    public static IEnumerable<OpCase> All()
    {
        // Arg-reductions: first index on ties, first NaN when there is one.
        yield return new OpCase("ArgMax last axis", typeof(ArgExtremeOp), [In(S.SmallIntegers, 3, 4)], c => c.X[0].ArgMax(-1), x => ArgExtreme(x[0], 1, true), GradKind.None).AtSpecialValues();
        yield return new OpCase("ArgMin axis 0 int32", typeof(ArgExtremeOp), [In(S.SmallIntegers, 3, 2, 2)], c => c.X[0].ArgMin(0, DType.Int32), x => ArgExtreme(x[0], 0, false), GradKind.None).AtSpecialValues();
        yield return new("ArgMax middle axis", typeof(ArgExtremeOp), [In(2, 3, 2)], c => c.X[0].ArgMax(1), x => ArgExtreme(x[0], 1, true), GradKind.None);

        // Top-k: indices (no gradient) and values (gradient back to the picked positions).
        yield return new("TopKIndices", typeof(TopKIndicesOp), [In(S.SmallIntegers, 3, 5)], c => c.X[0].TopK(3).Indices, x => TopK(x[0], 3, values: false), GradKind.None);
        yield return new("TopK values", typeof(TakeAlongLastAxisOp), [In(S.Distinct(0), 2, 3, 4)], c => c.X[0].TopK(2).Values, x => TopK(x[0], 2, values: true));
        yield return new("TakeAlongLastAxis int32 ids", typeof(TakeAlongLastAxisOp), [In(3, 4), Const(Ids(4), 3, 5)],
            c => c.X[0].TakeAlongLastAxis(c.X[1].Cast(DType.Int32)), x => TakeAlong(x[0], x[1]));

        // Cumulative sums in every direction.
        yield return new OpCase("Cumsum axis 1", typeof(CumsumOp), [In(3, 4)], c => c.X[0].Cumsum(1), x => Cumsum(x[0], 1, false, false)).AtSpecialValues();
        yield return new("Cumsum exclusive", typeof(CumsumOp), [In(4, 2)], c => c.X[0].Cumsum(0, exclusive: true), x => Cumsum(x[0], 0, true, false));
        yield return new("Cumsum reverse", typeof(CumsumOp), [In(2, 3, 2)], c => c.X[0].Cumsum(1, reverse: true), x => Cumsum(x[0], 1, false, true));
        yield return new("Cumsum exclusive reverse", typeof(CumsumOp), [In(5)], c => c.X[0].Cumsum(-1, true, true), x => Cumsum(x[0], 0, true, true));

        // Ranges.
        yield return new("Range int32", typeof(RangeOp), [], c => c.Graph.Range(2, 11, 3), x => Seq(2, 3, 3), GradKind.None);
        yield return new("Range float descending", typeof(RangeOp), [], c => c.Graph.Range(1, -0.2, -0.25, c.DType), x => Seq(1, -0.25, 5), GradKind.None);

        // Casts to integers and bools (no gradient flows through them) and back.
        yield return new OpCase("Cast to int32 and back", typeof(CastOp), [In(S.Normal, 2, 3)], c => c.X[0].Scale(3).Cast(DType.Int32).Cast(c.DType),
            x => Map(x[0], v => ToInt32(3 * v)), GradKind.None).AtSpecialValues();
        yield return new OpCase("Cast to int64 and back", typeof(CastOp), [In(S.Normal, 2, 3)], c => c.X[0].Scale(3).Cast(DType.Int64).Cast(c.DType),
            x => Map(x[0], v => ToInt64(3 * v)), GradKind.None).AtSpecialValues();
        yield return new OpCase("Cast to bool and back", typeof(CastOp), [In(S.SmallIntegers, 2, 3)], c => c.X[0].Cast(DType.Bool).Cast(c.DType),
            x => Map(x[0], v => v != 0 ? 1 : 0), GradKind.None).AtSpecialValues();

        // Ids and labels as int32 / int64, and a bool condition.
        yield return new("Gather int32 ids", typeof(GatherOp), [In(4, 3), Const(Ids(4), 2, 3)], c => c.X[0].Gather(c.X[1].Cast(DType.Int32)), x => Gather(x[0], x[1]));
        yield return new("Gather int64 ids", typeof(GatherOp), [In(5, 2), Const(Ids(5), 4)], c => c.X[0].Gather(c.X[1].Cast(DType.Int64)), x => Gather(x[0], x[1]));
        yield return new("OneHot int32 ids", typeof(OneHotOp), [Const(Ids(4), 2, 3)], c => c.X[0].Cast(DType.Int32).OneHot(4, c.DType), x => OneHot(x[0], 4), GradKind.None);
        yield return new("SoftmaxCrossEntropy int64 labels", typeof(SoftmaxCrossEntropyOp), [In(4, 5), Const(Ids(5), 4)],
            c => Node.SoftmaxCrossEntropy(c.X[0], c.X[1].Cast(DType.Int64)), x => SoftmaxCrossEntropy(x[0], x[1]));
        yield return new("Where bool condition", typeof(WhereOp), [Const(S.Normal, 2, 3), In(2, 3), In(3)],
            c => Node.Where(c.X[0].Greater(c.Graph.Scalar(0, c.DType)), c.X[1], c.X[2]), x => Zip3(x[0], x[1], x[2], (p, a, b) => p > 0 ? a : b));
    }

    private static Node Scale(this Node x, double k) => x * k;

    private static double ToInt32(double v) => double.IsNaN(v) ? 0 : Math.Clamp(Math.Truncate(v), int.MinValue, int.MaxValue);
    private static double ToInt64(double v) => double.IsNaN(v) ? 0 : Math.Clamp(Math.Truncate(v), long.MinValue, (double)long.MaxValue);

    private static Tensor Seq(double start, double delta, int count) =>
        Tensor.FromArray(Enumerable.Range(0, count).Select(i => start + i * delta).ToArray());

    private static Tensor ArgExtreme(Tensor x, int axis, bool largest)
    {
        var outShape = new Shape([.. x.Shape.Dims[..axis], .. x.Shape.Dims[(axis + 1)..]]);
        var z = New(outShape);
        foreach (var o in Indices(outShape))
        {
            int best = -1;
            double bestValue = 0;
            for (int k = 0; k < x.Shape[axis]; k++)
            {
                double v = x[[.. o[..axis], k, .. o[axis..]]];
                if (double.IsNaN(v)) { best = k; break; }
                if (best < 0 || (largest ? v > bestValue : v < bestValue)) { best = k; bestValue = v; }
            }
            z[o] = best;
        }
        return z;
    }

    /// <summary>Sorts each last-axis row by value, largest first, stably (NaN first), and keeps k values or positions.</summary>
    private static Tensor TopK(Tensor x, int k, bool values)
    {
        int n = x.Shape[-1], rows = x.Size / n;
        var data = x.ToArray<double>();
        var z = new double[rows * k];
        for (int r = 0; r < rows; r++)
        {
            var order = Enumerable.Range(0, n).OrderByDescending(j => double.IsNaN(data[r * n + j]) ? double.PositiveInfinity : data[r * n + j]).ThenBy(j => j).Take(k).ToArray();
            for (int j = 0; j < k; j++) z[r * k + j] = values ? data[r * n + order[j]] : order[j];
        }
        return Tensor.FromArray(z, [.. x.Shape.Dims[..^1], k]);
    }

    private static Tensor TakeAlong(Tensor x, Tensor ids)
    {
        var z = New(ids.Shape);
        foreach (var i in Indices(ids.Shape)) z[i] = x[[.. i[..^1], (int)ids[i]]];
        return z;
    }

    private static Tensor Cumsum(Tensor x, int axis, bool exclusive, bool reverse)
    {
        var z = New(x.Shape);
        foreach (var i in Indices(x.Shape))
        {
            double sum = 0;
            for (int k = 0; k < x.Shape[axis]; k++)
            {
                bool counted = reverse ? (exclusive ? k > i[axis] : k >= i[axis]) : (exclusive ? k < i[axis] : k <= i[axis]);
                if (counted) { var j = (int[])i.Clone(); j[axis] = k; sum += x[j]; }
            }
            z[i] = sum;
        }
        return z;
    }

    private static Tensor Gather(Tensor table, Tensor ids)
    {
        var z = New(new Shape([.. ids.Shape.Dims, .. table.Shape.Dims[1..]]));
        foreach (var i in Indices(z.Shape)) z[i] = table[[(int)ids[i[..ids.Rank]], .. i[ids.Rank..]]];
        return z;
    }

    private static Tensor OneHot(Tensor ids, int depth)
    {
        var z = New(new Shape([.. ids.Shape.Dims, depth]));
        foreach (var i in Indices(z.Shape)) z[i] = ids[i[..^1]] == i[^1] ? 1 : 0;
        return z;
    }

    private static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels)
    {
        int n = logits.Shape[0], k = logits.Shape[1];
        var z = New(new Shape(n));
        for (int r = 0; r < n; r++)
        {
            double logSum = Math.Log(Enumerable.Range(0, k).Sum(j => Math.Exp(logits[r, j])));
            z[r] = logSum - logits[r, (int)labels[r]];
        }
        return z;
    }
}
