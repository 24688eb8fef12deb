namespace Nabla.Tests.OpTable;

/// <summary>Naive reference implementations over float64 tensors: index loops, no kernels shared with the library.</summary>
internal static class Reference
{
    public static IEnumerable<int[]> Indices(Shape shape)
    {
        var idx = new int[shape.Rank];
        int total = shape.Size;
        for (int n = 0; n < total; n++)
        {
            yield return (int[])idx.Clone();
            for (int k = shape.Rank - 1; k >= 0; k--)
            {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
    }

    public static Tensor New(Shape shape) => Tensor.Zeros(shape, DType.Float64);

    public static Shape BroadcastShape(params Shape[] shapes)
    {
        int rank = shapes.Max(s => s.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
            dims[i] = shapes.Select(s => i - (rank - s.Rank) is var j && j >= 0 ? s[j] : 1).Where(d => d != 1).DefaultIfEmpty(1).First();
        return new Shape(dims);
    }

    /// <summary>The element of t that broadcasting maps output index idx to.</summary>
    public static double At(Tensor t, int[] idx)
    {
        var local = new int[t.Rank];
        for (int i = 0; i < t.Rank; i++)
        {
            int o = idx[idx.Length - t.Rank + i];
            local[i] = t.Shape[i] == 1 ? 0 : o;
        }
        return t[local];
    }

    public static Tensor Map(Tensor x, Func<double, double> f)
    {
        var z = New(x.Shape);
        foreach (var i in Indices(x.Shape)) z[i] = f(x[i]);
        return z;
    }

    public static Tensor Zip(Tensor a, Tensor b, Func<double, double, double> f)
    {
        var z = New(BroadcastShape(a.Shape, b.Shape));
        foreach (var i in Indices(z.Shape)) z[i] = f(At(a, i), At(b, i));
        return z;
    }

    public static Tensor Zip3(Tensor a, Tensor b, Tensor c, Func<double, double, double, double> f)
    {
        var z = New(BroadcastShape(a.Shape, b.Shape, c.Shape));
        foreach (var i in Indices(z.Shape)) z[i] = f(At(a, i), At(b, i), At(c, i));
        return z;
    }

    public static Tensor BroadcastTo(Tensor x, Shape shape)
    {
        var z = New(shape);
        foreach (var i in Indices(shape)) z[i] = At(x, i);
        return z;
    }

    /// <summary>Reduces over axes (null = all) with an aggregate starting from seed.</summary>
    public static Tensor Reduce(Tensor x, int[]? axes, bool keepDims, double seed, Func<double, double, double> agg)
    {
        bool Reduced(int a) => axes is null || axes.Contains(a);
        var keep = Enumerable.Range(0, x.Rank).Select(a => Reduced(a) ? 1 : x.Shape[a]).ToArray();
        var z = Tensor.Fill(new Shape(keep), seed, DType.Float64);
        foreach (var i in Indices(x.Shape))
        {
            var o = i.Select((v, a) => Reduced(a) ? 0 : v).ToArray();
            z[o] = agg(z[o], x[i]);
        }
        return keepDims ? z : z.Reshape(Enumerable.Range(0, x.Rank).Where(a => !Reduced(a)).Select(a => x.Shape[a]).ToArray());
    }

    public static Tensor SumTo(Tensor x, Shape target)
    {
        var z = New(target);
        foreach (var i in Indices(x.Shape))
        {
            var o = new int[target.Rank];
            for (int k = 0; k < target.Rank; k++)
                o[k] = target[k] == 1 ? 0 : i[i.Length - target.Rank + k];
            z[o] += x[i];
        }
        return z;
    }

    public static Tensor Transpose(Tensor x, int[] perm)
    {
        var z = New(new Shape(perm.Select(p => x.Shape[p]).ToArray()));
        foreach (var i in Indices(z.Shape))
        {
            var src = new int[x.Rank];
            for (int k = 0; k < perm.Length; k++) src[perm[k]] = i[k];
            z[i] = x[src];
        }
        return z;
    }

    public static Tensor MatMul(Tensor a, Tensor b, bool ta, bool tb)
    {
        if (ta) a = Transpose(a, SwapLast(a.Rank));
        if (tb) b = Transpose(b, SwapLast(b.Rank));
        var batch = BroadcastShape(new Shape(a.Shape.Dims[..^2]), new Shape(b.Shape.Dims[..^2]));
        int m = a.Shape[-2], k = a.Shape[-1], n = b.Shape[-1];
        var z = New(new Shape([.. batch.Dims, m, n]));
        foreach (var i in Indices(z.Shape))
        {
            double s = 0;
            for (int p = 0; p < k; p++)
            {
                var ai = BatchIndex(a, i, i[^2], p);
                var bi = BatchIndex(b, i, p, i[^1]);
                s += a[ai] * b[bi];
            }
            z[i] = s;
        }
        return z;
    }

    private static int[] BatchIndex(Tensor t, int[] outIdx, int row, int col)
    {
        var idx = new int[t.Rank];
        int batchRank = t.Rank - 2, outBatch = outIdx.Length - 2;
        for (int k = 0; k < batchRank; k++)
            idx[k] = t.Shape[k] == 1 ? 0 : outIdx[outBatch - batchRank + k];
        idx[^2] = row; idx[^1] = col;
        return idx;
    }

    private static int[] SwapLast(int rank)
    {
        var p = Enumerable.Range(0, rank).ToArray();
        (p[^1], p[^2]) = (p[^2], p[^1]);
        return p;
    }

    public static Tensor Slice(Tensor x, int[] begin, int[] size)
    {
        var dims = size.Select((s, k) => s == -1 ? x.Shape[k] - begin[k] : s).ToArray();
        var z = New(new Shape(dims));
        foreach (var i in Indices(z.Shape)) z[i] = x[i.Select((v, k) => v + begin[k]).ToArray()];
        return z;
    }

    public static Tensor Pad(Tensor x, int[] begin, Shape shape)
    {
        var z = New(shape);
        foreach (var i in Indices(x.Shape)) z[i.Select((v, k) => v + begin[k]).ToArray()] = x[i];
        return z;
    }

    public static Tensor Concat(Tensor[] xs, int axis)
    {
        var dims = xs[0].Shape.Dims;
        dims[axis] = xs.Sum(t => t.Shape[axis]);
        var z = New(new Shape(dims));
        int offset = 0;
        foreach (var x in xs)
        {
            foreach (var i in Indices(x.Shape))
            {
                var o = (int[])i.Clone();
                o[axis] += offset;
                z[o] = x[i];
            }
            offset += x.Shape[axis];
        }
        return z;
    }
}
