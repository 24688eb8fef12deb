using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Drivers for elementwise kernels: same-shape fast paths and NumPy broadcasting by rows.</summary>
internal static class Elementwise
{
    public static void Unary<T, TOp>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> where TOp : IUnaryKernel
        => TOp.Apply(x, y[..x.Length]);

    /// <summary>z = op(x, y) with x, y broadcast to zShape.</summary>
    public static void Binary<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<T> y, ReadOnlySpan<int> yShape,
        Span<T> z, ReadOnlySpan<int> zShape) where T : unmanaged, IFloatingPointIeee754<T> where TOp : IBinaryKernel
    {
        if (x.Length == z.Length && y.Length == z.Length) { TOp.Apply(x, y, z); return; }
        if (y.Length == 1 && x.Length == z.Length) { TOp.Apply(x, y[0], z); return; }
        if (x.Length == 1 && y.Length == z.Length) { TOp.Apply(x[0], y, z); return; }
        int rank = zShape.Length;
        Span<int> dims = stackalloc int[rank], xs = stackalloc int[rank], ys = stackalloc int[rank], idx = stackalloc int[rank];
        zShape.CopyTo(dims);
        StridedRows.BroadcastStrides(xShape, zShape, xs);
        StridedRows.BroadcastStrides(yShape, zShape, ys);
        var rows = new StridedRows(dims, xs, ys, idx);
        int n = rows.Inner;
        while (rows.Next())
        {
            var zr = z.Slice(rows.OffsetOut, n);
            if (rows.InnerA != 0 && rows.InnerB != 0) TOp.Apply(x.Slice(rows.OffsetA, n), y.Slice(rows.OffsetB, n), zr);
            else if (rows.InnerA != 0) TOp.Apply(x.Slice(rows.OffsetA, n), y[rows.OffsetB], zr);
            else if (rows.InnerB != 0) TOp.Apply(x[rows.OffsetA], y.Slice(rows.OffsetB, n), zr);
            else { TOp.Apply(x.Slice(rows.OffsetA, 1), y[rows.OffsetB], zr[..1]); zr.Fill(zr[0]); }
        }
    }

    /// <summary>z = x broadcast to zShape.</summary>
    public static void BroadcastTo<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> zShape)
    {
        if (x.Length == z.Length) { x.CopyTo(z); return; }
        if (x.Length == 1) { z.Fill(x[0]); return; }
        int rank = zShape.Length;
        Span<int> dims = stackalloc int[rank], xs = stackalloc int[rank], none = stackalloc int[rank], idx = stackalloc int[rank];
        zShape.CopyTo(dims);
        StridedRows.BroadcastStrides(xShape, zShape, xs);
        none.Clear();
        var rows = new StridedRows(dims, xs, none, idx);
        int n = rows.Inner;
        while (rows.Next())
        {
            var zr = z.Slice(rows.OffsetOut, n);
            if (rows.InnerA != 0) x.Slice(rows.OffsetA, n).CopyTo(zr); else zr.Fill(x[rows.OffsetA]);
        }
    }

    /// <summary>z = cond ? a : b (for a numeric cond: cond ≠ 0, NaN counting as true), all three broadcast to zShape.</summary>
    public static void Where<TC, T>(ReadOnlySpan<TC> c, ReadOnlySpan<int> cShape, ReadOnlySpan<T> a, ReadOnlySpan<int> aShape,
        ReadOnlySpan<T> b, ReadOnlySpan<int> bShape, Span<T> z, ReadOnlySpan<int> zShape) where TC : unmanaged, IEquatable<TC>
    {
        int rank = zShape.Length;
        Span<int> cs = stackalloc int[rank], as_ = stackalloc int[rank], bs = stackalloc int[rank];
        StridedRows.BroadcastStrides(cShape, zShape, cs);
        StridedRows.BroadcastStrides(aShape, zShape, as_);
        StridedRows.BroadcastStrides(bShape, zShape, bs);
        // Rows of the trailing axes that each operand reads contiguously or not at all (a mask broadcast over batch and
        // heads, a scalar branch): offsets are computed once per row instead of once per element.
        int axis = rank, inner = 1, stepC = -1, stepA = -1, stepB = -1;
        while (axis > 0 && Joins(cs[axis - 1], zShape[axis - 1], inner, ref stepC) && Joins(as_[axis - 1], zShape[axis - 1], inner, ref stepA)
               && Joins(bs[axis - 1], zShape[axis - 1], inner, ref stepB))
            inner *= zShape[--axis];
        (stepC, stepA, stepB) = (Math.Max(stepC, 0), Math.Max(stepA, 0), Math.Max(stepB, 0));
        for (int row = 0; row * inner < z.Length; row++)
        {
            int rem = row, oc = 0, oa = 0, ob = 0;
            for (int k = axis - 1; k >= 0; k--)
            {
                int d = zShape[k], j = rem % d; rem /= d;
                oc += j * cs[k]; oa += j * as_[k]; ob += j * bs[k];
            }
            var zr = z.Slice(row * inner, inner);
            for (int i = 0; i < zr.Length; i++)
                zr[i] = !c[oc + i * stepC].Equals(default) ? a[oa + i * stepA] : b[ob + i * stepB];
        }
    }

    /// <summary>
    /// Whether an axis of size <paramref name="size"/> and stride <paramref name="stride"/> extends a trailing block of
    /// <paramref name="inner"/> elements that the operand reads with step 1 or 0 (<paramref name="step"/>: −1 until decided).
    /// </summary>
    private static bool Joins(int stride, int size, int inner, ref int step)
    {
        if (size == 1) return true;
        int wanted = stride == 0 ? 0 : stride == inner ? 1 : -1;
        if (wanted < 0 || (step >= 0 && step != wanted)) return false;
        step = wanted;
        return true;
    }
}
