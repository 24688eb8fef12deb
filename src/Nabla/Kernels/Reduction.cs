using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>Sum and max over axes. The output shape has the input's rank with 1 on every reduced axis.</summary>
internal static class Reduction
{
    public static void Sum<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> zShapeKeepDims)
        where T : unmanaged, INumber<T>
    {
        if (z.Length == 1) { z[0] = TensorPrimitives.Sum(x); return; }
        if (z.Length == x.Length) { x.CopyTo(z); return; }
        z.Clear();
        Reduce(x, xShape, z, zShapeKeepDims, isMax: false);
    }

    public static void Max<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> zShapeKeepDims)
        where T : unmanaged, INumber<T>
    {
        if (z.Length == 1) { z[0] = TensorPrimitives.Max(x); return; }
        if (z.Length == x.Length) { x.CopyTo(z); return; }
        z.Fill(T.CreateSaturating(double.NegativeInfinity)); // −∞, or the lowest integer
        Reduce(x, xShape, z, zShapeKeepDims, isMax: true);
    }

    private static void Reduce<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> z, ReadOnlySpan<int> zShape, bool isMax)
        where T : unmanaged, INumber<T>
    {
        // Rows walk the input; the output advances with stride 0 on reduced axes.
        int rank = xShape.Length;
        Span<int> dims = stackalloc int[rank], xs = stackalloc int[rank], zs = stackalloc int[rank], idx = stackalloc int[rank];
        xShape.CopyTo(dims);
        StridedRows.ContiguousStrides(xShape, xs);
        StridedRows.BroadcastStrides(zShape, xShape, zs);
        var rows = new StridedRows(dims, xs, zs, idx);
        int n = rows.Inner;
        while (rows.Next())
        {
            var xr = x.Slice(rows.OffsetA, n);
            if (rows.InnerB == 0)
            {
                ref T acc = ref z[rows.OffsetB];
                if (isMax) { T m = TensorPrimitives.Max(xr); acc = T.IsNaN(m) || m > acc ? m : acc; }
                else acc += TensorPrimitives.Sum(xr);
            }
            else
            {
                var zr = z.Slice(rows.OffsetB, n);
                if (isMax) TensorPrimitives.Max(zr, xr, zr); else TensorPrimitives.Add(zr, xr, zr);
            }
        }
    }
}
