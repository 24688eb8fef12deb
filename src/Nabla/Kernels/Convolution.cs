using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// The sizes of a 2-D convolution in NCHW: input [N, C, H, W], filter [O, C, KH, KW], output [N, O, OH, OW]
/// with OH = ⌊(H + 2·padding − dilation·(KH − 1) − 1) / stride⌋ + 1 (OW likewise).
/// </summary>
internal readonly record struct Conv2DGeometry(int N, int C, int H, int W, int O, int KH, int KW, int Stride, int Padding, int Dilation)
{
    public int OH => OutputSize(H, KH, Stride, Padding, Dilation);
    public int OW => OutputSize(W, KW, Stride, Padding, Dilation);

    /// <summary>Rows of the unfolded input: one per (channel, kernel row, kernel column).</summary>
    public int Patch => C * KH * KW;

    /// <summary>Output pixels per image.</summary>
    public int Pixels => OH * OW;

    public static int OutputSize(int size, int kernel, int stride, int padding, int dilation) =>
        (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

/// <summary>
/// 2-D convolution (cross-correlation, as every framework) and its two adjoints by im2col and one matrix multiply per
/// group of images: a few images are unfolded side by side into an L2-sized [C·KH·KW, images·OH·OW] matrix that the
/// product reads right away (one long product instead of several narrow ones with ragged edges). Large calls split the batch into fixed ranges of images run on
/// <see cref="WorkerPool"/>; the filter gradient sums one partial per range in range order, so results do not depend
/// on thread timing. Scratch is kept per thread: a steady-state call allocates nothing.
/// </summary>
internal static class Convolution
{
    /// <summary>Below this many multiply-adds a call stays on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 19;

    /// <summary>y = conv(x, f): y[n, o, i, j] = Σ_{c,p,q} f[o, c, p, q] · x[n, c, i·s − pad + p·d, j·s − pad + q·d] (0 outside).</summary>
    public static void Forward<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> f, Memory<T> y, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvolutionLoop<T>.Run(ConvolutionPass.Forward, x, f, y, g, Parts(g));

    /// <summary>dx = the adjoint of conv in x: the gradient of Σ dy·conv(x, f) with respect to x.</summary>
    public static void BackpropInput<T>(ReadOnlyMemory<T> dy, ReadOnlyMemory<T> f, Memory<T> dx, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ConvolutionLoop<T>.Run(ConvolutionPass.Input, dy, f, dx, g, Parts(g));

    /// <summary>df = the adjoint of conv in f: the gradient of Σ dy·conv(x, f) with respect to f, summed over images in a fixed order.</summary>
    public static void BackpropFilter<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> dy, Memory<T> df, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.N == 0) { df.Span.Clear(); return; }
        ConvolutionLoop<T>.Run(ConvolutionPass.Filter, x, dy, df, g, Parts(g));
    }

    /// <summary>Ranges of images to split the batch into: one for small calls, else a few per core for balance under load.</summary>
    private static int Parts(Conv2DGeometry g)
    {
        long macs = (long)g.N * g.O * g.Patch * g.Pixels;
        if (WorkerPool.Parallelism == 1 || macs < ParallelThreshold) return 1;
        return Math.Min(g.N, 4 * WorkerPool.Parallelism);
    }

    /// <summary>
    /// Unfolds one image [C, H, W] into the matrix [C·KH·KW, OH·OW] whose rows start <paramref name="ld"/> apart:
    /// row (c, p, q), column (i, j) holds x[c, i·s − pad + p·d, j·s − pad + q·d], or 0 in the padding.
    /// </summary>
    internal static void Im2Col<T>(ReadOnlySpan<T> x, Span<T> col, Conv2DGeometry g, int ld)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, s = g.Stride, pixels = oh * ow, row = 0;
        for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
                for (int q = 0; q < g.KW; q++, row++)
                {
                    var dst = col.Slice(row * ld, pixels);
                    int ih0 = p * g.Dilation - g.Padding, iw0 = q * g.Dilation - g.Padding;
                    var (lo, hi) = ValidRange(iw0, s, g.W, ow);
                    var (top, bottom) = ValidRange(ih0, s, g.H, oh);
                    if (top > 0) dst[..(top * ow)].Clear();
                    if (bottom < oh) dst[(bottom * ow)..].Clear();
                    if (s == 1) CopyRows(x, dst, (c * g.H + top + ih0) * g.W + iw0, g.W, top, bottom, ow, lo, hi);
                    else
                        for (int i = top; i < bottom; i++)
                        {
                            var d = dst.Slice(i * ow, ow);
                            var src = x.Slice((c * g.H + i * s + ih0) * g.W, g.W);
                            d[..lo].Clear();
                            d[hi..].Clear();
                            for (int j = lo; j < hi; j++) d[j] = src[j * s + iw0];
                        }
                }
    }

    /// <summary>
    /// dst rows top..bottom (each <paramref name="ow"/> long): columns lo..hi from x at <paramref name="start"/> + lo,
    /// one input row (<paramref name="w"/>) further per output row, 0 in the other columns. The stride-1 case,
    /// without per-row slicing.
    /// </summary>
    private static void CopyRows<T>(ReadOnlySpan<T> x, Span<T> dst, int start, int w, int top, int bottom, int ow, int lo, int hi) where T : unmanaged
    {
        if (bottom <= top) return;
        if (start + lo < 0 || start + (long)(bottom - top - 1) * w + hi > x.Length || (long)bottom * ow > dst.Length)
            throw new ArgumentException("im2col rows outside the image.", nameof(x));
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ds = ref MemoryMarshal.GetReference(dst);
        if (lo == 0 && hi == ow)
        {
            for (int i = top; i < bottom; i++, start += w) ShortRows.CopyUnchecked(ref Unsafe.Add(ref xs, start), ref Unsafe.Add(ref ds, i * ow), ow);
            return;
        }
        for (int i = top; i < bottom; i++, start += w)
        {
            ref T d = ref Unsafe.Add(ref ds, i * ow);
            for (int j = 0; j < lo; j++) Unsafe.Add(ref d, j) = default;
            ShortRows.CopyUnchecked(ref Unsafe.Add(ref xs, start + lo), ref Unsafe.Add(ref d, lo), hi - lo);
            for (int j = hi; j < ow; j++) Unsafe.Add(ref d, j) = default;
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds each column entry back onto the input pixel it was read from.</summary>
    internal static void Col2ImAdd<T>(ReadOnlySpan<T> col, Span<T> x, Conv2DGeometry g, int ld)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, s = g.Stride, pixels = oh * ow, row = 0;
        for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
                for (int q = 0; q < g.KW; q++, row++)
                {
                    var src = col.Slice(row * ld, pixels);
                    int ih0 = p * g.Dilation - g.Padding, iw0 = q * g.Dilation - g.Padding;
                    var (lo, hi) = ValidRange(iw0, s, g.W, ow);
                    var (top, bottom) = ValidRange(ih0, s, g.H, oh);
                    if (hi <= lo) continue;
                    if (s == 1 && lo == 0 && hi == ow) { AddRows(src, x, (c * g.H + top + ih0) * g.W + iw0, g.W, top, bottom, ow); continue; }
                    for (int i = top; i < bottom; i++)
                    {
                        var r = src.Slice(i * ow, ow);
                        var dst = x.Slice((c * g.H + i * s + ih0) * g.W, g.W);
                        if (s == 1) ShortRows.Add(r[lo..hi], dst.Slice(lo + iw0, hi - lo));
                        else for (int j = lo; j < hi; j++) dst[j * s + iw0] += r[j];
                    }
                }
    }

    /// <summary>The adjoint of <see cref="CopyRows"/>: x rows from <paramref name="start"/> += col rows top..bottom.</summary>
    private static void AddRows<T>(ReadOnlySpan<T> col, Span<T> x, int start, int w, int top, int bottom, int ow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bottom <= top) return;
        if (start < 0 || start + (long)(bottom - top - 1) * w + ow > x.Length || (long)bottom * ow > col.Length)
            throw new ArgumentException("col2im rows outside the image.", nameof(x));
        ref T cs = ref MemoryMarshal.GetReference(col);
        ref T xs = ref MemoryMarshal.GetReference(x);
        for (int i = top; i < bottom; i++, start += w) ShortRows.AddUnchecked(ref Unsafe.Add(ref cs, i * ow), ref Unsafe.Add(ref xs, start), ow);
    }

    /// <summary>The output positions j in [lo, hi) whose input position j·s + iw0 lies inside [0, w) (columns or rows).</summary>
    private static (int lo, int hi) ValidRange(int iw0, int s, int w, int ow)
    {
        int lo = iw0 >= 0 ? 0 : (-iw0 + s - 1) / s;
        int hi = w - 1 - iw0 < 0 ? 0 : Math.Min(ow, (w - 1 - iw0) / s + 1);
        lo = Math.Min(lo, ow);
        return (lo, Math.Max(lo, hi));
    }
}
