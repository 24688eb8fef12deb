using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Sizes of a 2-D pooling in NCHW without padding: planes = N·C, each H×W, windows kernel×kernel every stride,
/// OH = ⌊(H − kernel) / stride⌋ + 1 (OW likewise).
/// </summary>
internal readonly record struct Pool2DGeometry(int Planes, int H, int W, int Kernel, int Stride)
{
    public int OH => OutputSize(H, Kernel, Stride);
    public int OW => OutputSize(W, Kernel, Stride);
    public static int OutputSize(int size, int kernel, int stride) => (size - kernel) / stride + 1;
}

/// <summary>Max and average pooling over square windows and their adjoints. The gradient of a window's maximum goes to its first largest element.</summary>
internal static class Pooling
{
    /// <summary>y[w] = max of window w of x (NaN if the window holds one).</summary>
    public static void Max<T>(ReadOnlySpan<T> x, Span<T> y, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Kernel == 2 && g.Stride == 2) Max2(x, y, g);
        else Reduce<T, MaxRows>(x, y, g, T.One);
    }

    /// <summary><see cref="Max"/> for 2×2 windows every 2: each window's four elements read directly.</summary>
    private static void Max2<T>(ReadOnlySpan<T> x, Span<T> y, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.H * g.W, outPlane = g.OH * g.OW, width = g.W;
        bool vector = Vectorized<T>(g);
        for (int n = 0; n < g.Planes; n++)
        {
            var xp = x.Slice(n * plane, plane);
            var yp = y.Slice(n * outPlane, outPlane);
            for (int i = 0; i < g.OH; i++)
            {
                var r0 = xp.Slice(2 * i * width, width);
                var r1 = xp.Slice((2 * i + 1) * width, width);
                var yr = yp.Slice(i * g.OW, g.OW);
                if (vector) { MaxPool2x2.MaxRow(Floats(r0), Floats(r1), Floats(yr), g.OW); continue; }
                for (int j = 0; j < yr.Length; j++)
                    yr[j] = T.Max(T.Max(r0[2 * j], r0[2 * j + 1]), T.Max(r1[2 * j], r1[2 * j + 1]));
            }
        }
    }

    /// <summary>Whether 2×2 windows of this element type and width go through <see cref="MaxPool2x2"/>.</summary>
    private static bool Vectorized<T>(Pool2DGeometry g) => typeof(T) == typeof(float) && MaxPool2x2.IsAccelerated && g.OW >= 4;

    private static Span<float> Floats<T>(Span<T> span) where T : unmanaged => MemoryMarshal.Cast<T, float>(span);
    private static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> span) where T : unmanaged => MemoryMarshal.Cast<T, float>(span);

    /// <summary>y[w] = mean of window w of x.</summary>
    public static void Average<T>(ReadOnlySpan<T> x, Span<T> y, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T> =>
        Reduce<T, SumRows>(x, y, g, T.One / T.CreateTruncating(g.Kernel * g.Kernel));

    /// <summary>Combines rows elementwise (vectorized) and folds a run of adjacent elements.</summary>
    private interface IRowReduction
    {
        static abstract void Rows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T>;
        static abstract T Fold<T>(ReadOnlySpan<T> run) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private readonly struct MaxRows : IRowReduction
    {
        public static void Rows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T> =>
            TensorPrimitives.Max(a, b, result);

        public static T Fold<T>(ReadOnlySpan<T> run) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T m = run[0];
            for (int q = 1; q < run.Length; q++) m = T.Max(m, run[q]);
            return m;
        }
    }

    private readonly struct SumRows : IRowReduction
    {
        public static void Rows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) where T : unmanaged, IFloatingPointIeee754<T> =>
            TensorPrimitives.Add(a, b, result);

        public static T Fold<T>(ReadOnlySpan<T> run) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T sum = run[0];
            for (int q = 1; q < run.Length; q++) sum += run[q];
            return sum;
        }
    }

    /// <summary>
    /// y[w] = scale · (window w of x reduced): the window's kernel rows are first combined across whole input rows with
    /// vector instructions, then each run of kernel adjacent elements is folded.
    /// </summary>
    private static void Reduce<T, TReduce>(ReadOnlySpan<T> x, Span<T> y, Pool2DGeometry g, T scale)
        where T : unmanaged, IFloatingPointIeee754<T> where TReduce : IRowReduction
    {
        const int StackRow = 256;
        int plane = g.H * g.W, outPlane = g.OH * g.OW, k = g.Kernel, s = g.Stride, width = g.W;
        T[]? rented = width > StackRow ? ArrayPool<T>.Shared.Rent(width) : null;
        Span<T> combined = rented is null ? stackalloc T[StackRow] : rented;
        combined = combined[..width];
        try
        {
            for (int n = 0; n < g.Planes; n++)
            {
                var xp = x.Slice(n * plane, plane);
                var yp = y.Slice(n * outPlane, outPlane);
                for (int i = 0; i < g.OH; i++)
                {
                    scoped ReadOnlySpan<T> rows = xp.Slice(i * s * width, width);
                    if (k > 1)
                    {
                        TReduce.Rows(rows, xp.Slice((i * s + 1) * width, width), combined);
                        for (int p = 2; p < k; p++) TReduce.Rows(combined, xp.Slice((i * s + p) * width, width), combined);
                        rows = combined;
                    }
                    var yr = yp.Slice(i * g.OW, g.OW);
                    for (int j = 0; j < yr.Length; j++) yr[j] = TReduce.Fold(rows.Slice(j * s, k)) * scale;
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>dx = 0, then dx[argmax of window w] += dy[w]: the adjoint of reading each window's maximum.</summary>
    public static void MaxGrad<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Kernel == g.Stride) { MaxGradDisjoint(x, dy, dx, g); return; }
        dx.Clear();
        int plane = g.H * g.W, outPlane = g.OH * g.OW;
        for (int n = 0; n < g.Planes; n++)
        {
            var xp = x.Slice(n * plane, plane);
            var dxp = dx.Slice(n * plane, plane);
            var dyp = dy.Slice(n * outPlane, outPlane);
            for (int i = 0, w = 0; i < g.OH; i++)
                for (int j = 0; j < g.OW; j++, w++)
                {
                    int at = ArgMax(xp, i, j, g);
                    dxp[at] += dyp[w];
                }
        }
    }

    /// <summary>
    /// <see cref="MaxGrad"/> for windows that do not overlap (kernel = stride): each element is written once, with
    /// no separate clearing pass.
    /// </summary>
    private static void MaxGradDisjoint<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.H * g.W, outPlane = g.OH * g.OW, k = g.Kernel, width = g.W, covered = g.OW * k;
        bool vector = k == 2 && Vectorized<T>(g);
        for (int n = 0; n < g.Planes; n++)
        {
            var xp = x.Slice(n * plane, plane);
            var dxp = dx.Slice(n * plane, plane);
            var dyp = dy.Slice(n * outPlane, outPlane);
            for (int i = 0, w = 0; i < g.OH; i++)
            {
                if (vector)
                {
                    int top = 2 * i * width;
                    MaxPool2x2.RouteRow(Floats(xp.Slice(top, width)), Floats(xp.Slice(top + width, width)), Floats(dyp.Slice(w, g.OW)),
                        Floats(dxp.Slice(top, width)), Floats(dxp.Slice(top + width, width)), g.OW);
                    w += g.OW;
                }
                else if (k == 2)
                {
                    for (int j = 0; j < g.OW; j++, w++) Route2(xp, dxp, 2 * i * width + 2 * j, width, dyp[w]);
                }
                else
                {
                    for (int j = 0; j < g.OW; j++, w++)
                    {
                        int at = ArgMax(xp, i, j, g), start = i * k * width + j * k;
                        for (int p = 0; p < k; p++)
                            for (int q = 0, e = start + p * width; q < k; q++, e++) dxp[e] = T.Zero;
                        dxp[at] = dyp[w];
                    }
                }
                if (covered < width)
                    for (int p = 0; p < k; p++) dxp.Slice((i * k + p) * width + covered, width - covered).Clear();
            }
            dxp[(g.OH * k * width)..].Clear();
        }
    }

    /// <summary>
    /// Writes the 2×2 window of dx at <paramref name="start"/>: <paramref name="value"/> at the window's first NaN of x,
    /// else at its first largest element, 0 elsewhere. Without branches (one-lane vector masks): which element wins is
    /// data-dependent, and rectified inputs tie often.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Route2<T>(ReadOnlySpan<T> x, Span<T> dx, int start, int width, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int below = start + width;
        var a = Vector128.CreateScalarUnsafe(x[start]);
        var b = Vector128.CreateScalarUnsafe(x[start + 1]);
        var c = Vector128.CreateScalarUnsafe(x[below]);
        var d = Vector128.CreateScalarUnsafe(x[below + 1]);
        var max = Vector128.MaxNative(Vector128.MaxNative(a, b), Vector128.MaxNative(c, d));
        var anyNaN = Vector128.IsNaN(a) | Vector128.IsNaN(b) | Vector128.IsNaN(c) | Vector128.IsNaN(d);
        // Candidates: the NaNs when there is one, else the elements equal to the maximum; the first candidate wins.
        var ca = Vector128.IsNaN(a) | Vector128.AndNot(Vector128.Equals(a, max), anyNaN);
        var cb = Vector128.IsNaN(b) | Vector128.AndNot(Vector128.Equals(b, max), anyNaN);
        var cc = Vector128.IsNaN(c) | Vector128.AndNot(Vector128.Equals(c, max), anyNaN);
        var v = Vector128.CreateScalarUnsafe(value);
        var taken = ca;
        dx[start] = (v & ca).ToScalar();
        dx[start + 1] = Vector128.AndNot(v & cb, taken).ToScalar();
        taken |= cb;
        dx[below] = Vector128.AndNot(v & cc, taken).ToScalar();
        taken |= cc;
        dx[below + 1] = Vector128.AndNot(v, taken).ToScalar();
    }

    /// <summary>z[w] = v[argmax of window w of x]: v read where the maxima of x are (the adjoint of <see cref="MaxGrad"/>).</summary>
    public static void MaxSelect<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> v, Span<T> z, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.H * g.W, outPlane = g.OH * g.OW;
        for (int n = 0; n < g.Planes; n++)
        {
            var xp = x.Slice(n * plane, plane);
            var vp = v.Slice(n * plane, plane);
            var zp = z.Slice(n * outPlane, outPlane);
            for (int i = 0, w = 0; i < g.OH; i++)
                for (int j = 0; j < g.OW; j++, w++) zp[w] = vp[ArgMax(xp, i, j, g)];
        }
    }

    /// <summary>The plane index of the first largest element of window (i, j); a NaN counts as largest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<T>(ReadOnlySpan<T> plane, int i, int j, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.W, k = g.Kernel, start = i * g.Stride * width + j * g.Stride, best = start;
        T max = plane[start];
        for (int p = 0; p < k; p++)
        {
            var row = plane.Slice(start + p * width, k);
            for (int q = 0; q < row.Length; q++)
            {
                // Arithmetic select instead of a branch: which element wins is data-dependent and unpredictable.
                T v = row[q];
                int larger = Unsafe.BitCast<bool, byte>(v > max);
                best += (start + p * width + q - best) & -larger;
                max = T.Max(max, v);
            }
        }
        return T.IsNaN(max) ? FirstNaN(plane, start, width, k) : best;
    }

    private static int FirstNaN<T>(ReadOnlySpan<T> plane, int start, int width, int k) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < k; p++)
            for (int q = 0, at = start + p * width; q < k; q++, at++)
                if (T.IsNaN(plane[at])) return at;
        return start;
    }

    /// <summary>dx = 0, then every element of window w gets dy[w] / kernel² (the adjoint of <see cref="Average"/>).</summary>
    public static void AverageGrad<T>(ReadOnlySpan<T> dy, Span<T> dx, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int StackRow = 256;
        dx.Clear();
        int plane = g.H * g.W, outPlane = g.OH * g.OW, k = g.Kernel, s = g.Stride, width = g.W;
        T scale = T.One / T.CreateTruncating(k * k);
        T[]? rented = width > StackRow ? ArrayPool<T>.Shared.Rent(width) : null;
        Span<T> spread = rented is null ? stackalloc T[StackRow] : rented;
        spread = spread[..width];
        try
        {
            for (int n = 0; n < g.Planes; n++)
            {
                var dxp = dx.Slice(n * plane, plane);
                var dyp = dy.Slice(n * outPlane, outPlane);
                for (int i = 0; i < g.OH; i++)
                {
                    // One input row's share of this output row, then added to each of the window's kernel rows.
                    spread.Clear();
                    var dyr = dyp.Slice(i * g.OW, g.OW);
                    for (int j = 0; j < dyr.Length; j++)
                    {
                        T share = dyr[j] * scale;
                        for (int q = 0, at = j * s; q < k; q++, at++) spread[at] += share;
                    }
                    for (int p = 0; p < k; p++)
                    {
                        var row = dxp.Slice((i * s + p) * width, width);
                        TensorPrimitives.Add(row, spread, row);
                    }
                }
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }
}
