namespace Nabla.Kernels;

/// <summary>Data movement: transpose, slice, concat.</summary>
internal static class Layout
{
    /// <summary>z = x with axes permuted: z's axis i is x's axis perm[i].</summary>
    public static void Transpose<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> perm, Span<T> z)
    {
        int rank = xShape.Length;
        if (rank == 0) { x[..z.Length].CopyTo(z); return; }
        Span<int> dims = stackalloc int[rank], xs = stackalloc int[rank], ps = stackalloc int[rank], none = stackalloc int[rank], idx = stackalloc int[rank];
        StridedRows.ContiguousStrides(xShape, xs);
        for (int i = 0; i < rank; i++) { dims[i] = xShape[perm[i]]; ps[i] = xs[perm[i]]; }
        none.Clear();
        var rows = new StridedRows(dims, ps, none, idx);
        int n = rows.Inner, s = rows.InnerA;
        while (rows.Next())
        {
            var zr = z.Slice(rows.OffsetOut, n);
            if (s == 1) x.Slice(rows.OffsetA, n).CopyTo(zr);
            else for (int j = 0, o = rows.OffsetA; j < n; j++, o += s) zr[j] = x[o];
        }
    }

    /// <summary>z = x[begin : begin + zShape] (zShape has x's rank).</summary>
    public static void Slice<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> begin, Span<T> z, ReadOnlySpan<int> zShape)
    {
        int rank = xShape.Length;
        if (rank == 0) { x[..z.Length].CopyTo(z); return; }
        Span<int> dims = stackalloc int[rank], xs = stackalloc int[rank], none = stackalloc int[rank], idx = stackalloc int[rank];
        StridedRows.ContiguousStrides(xShape, xs);
        int start = 0;
        for (int i = 0; i < rank; i++) start += begin[i] * xs[i];
        zShape.CopyTo(dims);
        none.Clear();
        var rows = new StridedRows(dims, xs, none, idx);
        // The row may run along a strided axis of x (e.g. one column of a matrix, whose later axes coalesce away).
        int n = rows.Inner, s = rows.InnerA;
        while (rows.Next())
        {
            var zr = z.Slice(rows.OffsetOut, n);
            if (s == 1) x.Slice(start + rows.OffsetA, n).CopyTo(zr);
            else for (int j = 0, o = start + rows.OffsetA; j < n; j++, o += s) zr[j] = x[o];
        }
    }

    /// <summary>Adds x into z[begin : begin + xShape] (the reverse of Slice; z keeps its other values).</summary>
    public static void PadAdd<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> begin, Span<T> z, ReadOnlySpan<int> zShape)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int rank = zShape.Length;
        if (rank == 0) { z[0] += x[0]; return; }
        Span<int> dims = stackalloc int[rank], zs = stackalloc int[rank], none = stackalloc int[rank], idx = stackalloc int[rank];
        StridedRows.ContiguousStrides(zShape, zs);
        int start = 0;
        for (int i = 0; i < rank; i++) start += begin[i] * zs[i];
        xShape.CopyTo(dims);
        none.Clear();
        var rows = new StridedRows(dims, zs, none, idx);
        int n = rows.Inner, s = rows.InnerA;
        while (rows.Next())
        {
            var xr = x.Slice(rows.OffsetOut, n);
            if (s == 1)
            {
                var zr = z.Slice(start + rows.OffsetA, n);
                System.Numerics.Tensors.TensorPrimitives.Add(zr, xr, zr);
            }
            else for (int j = 0, o = start + rows.OffsetA; j < n; j++, o += s) z[o] += xr[j];
        }
    }

    /// <summary>Copies x (shape outer × xAxis × inner) into z at axis offset (z is outer × zAxis × inner).</summary>
    public static void CopyAlongAxis<T>(ReadOnlySpan<T> x, Span<T> z, int outer, int xAxis, int zAxis, int inner, int offset)
    {
        int block = xAxis * inner;
        for (int o = 0; o < outer; o++)
            x.Slice(o * block, block).CopyTo(z.Slice((o * zAxis + offset) * inner, block));
    }
}
