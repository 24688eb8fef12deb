using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

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
/// 2-D convolution (cross-correlation, as every framework) and its two adjoints by im2col and one matrix multiply
/// per group of images. Each group unfolds its images side by side into a [C·KH·KW, images·OH·OW] matrix, so the
/// multiply is wide; groups run in parallel when the work is large. Scratch comes from <see cref="ArrayPool{T}"/>.
/// </summary>
internal static class Convolution
{
    /// <summary>Below this many multiply-adds a call stays on the calling thread.</summary>
    private const long ParallelThreshold = 1 << 19;

    /// <summary>Upper bound on the elements of one group's unfolded matrix.</summary>
    private const int GroupElements = 1 << 18;

    /// <summary>y = conv(x, f): y[n, o, i, j] = Σ_{c,p,q} f[o, c, p, q] · x[n, c, i·s − pad + p·d, j·s − pad + q·d] (0 outside).</summary>
    public static void Forward<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> f, Memory<T> y, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ForEachGroup(g, new ForwardGroup<T>(x, f, y, g));

    /// <summary>dx = the adjoint of conv in x: the gradient of Σ dy·conv(x, f) with respect to x.</summary>
    public static void BackpropInput<T>(ReadOnlyMemory<T> dy, ReadOnlyMemory<T> f, Memory<T> dx, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ForEachGroup(g, new BackpropInputGroup<T>(dy, f, dx, g));

    /// <summary>df = the adjoint of conv in f: the gradient of Σ dy·conv(x, f) with respect to f, summed over images in a fixed order.</summary>
    public static void BackpropFilter<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> dy, Memory<T> df, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = g.O * g.Patch, group = GroupSize(g), groups = (g.N + group - 1) / group;
        if (groups == 0)
        {
            df.Span.Clear();
            return;
        }
        if (groups == 1)
        {
            ForEachGroup(g, new BackpropFilterGroup<T>(x, dy, df, g, group));
            return;
        }
        // One partial sum per group, added in group order: the result does not depend on thread timing.
        var partials = ArrayPool<T>.Shared.Rent(groups * size);
        try
        {
            ForEachGroup(g, new BackpropFilterGroup<T>(x, dy, partials.AsMemory(0, groups * size), g, group));
            var sum = df.Span;
            partials.AsSpan(0, size).CopyTo(sum);
            for (int i = 1; i < groups; i++) TensorPrimitives.Add(sum, partials.AsSpan(i * size, size), sum);
        }
        finally { ArrayPool<T>.Shared.Return(partials); }
    }

    /// <summary>The work on images first..first+count, one group.</summary>
    private interface IGroupWork
    {
        void Run(int first, int count);
    }

    private readonly struct ForwardGroup<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> f, Memory<T> y, Conv2DGeometry g) : IGroupWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int first, int count)
        {
            int cols = count * g.Pixels;
            var col = ArrayPool<T>.Shared.Rent(g.Patch * cols);
            var product = count == 1 ? null : ArrayPool<T>.Shared.Rent(g.O * cols);
            try
            {
                var unfolded = col.AsSpan(0, g.Patch * cols);
                for (int j = 0; j < count; j++) Im2Col(Image(x.Span, first + j, g.C * g.H * g.W), unfolded, cols, j * g.Pixels, g);
                if (product is null)
                {
                    MatMul.Multiply<T>(f.Span, unfolded, Image(y.Span, first, g.O * g.Pixels), g.O, cols, g.Patch, false, false);
                    return;
                }
                MatMul.Multiply<T>(f.Span, unfolded, product.AsSpan(0, g.O * cols), g.O, cols, g.Patch, false, false);
                GroupToImages<T>(product, y.Span, first, count, g.O, g.Pixels);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
                if (product is not null) ArrayPool<T>.Shared.Return(product);
            }
        }
    }

    private readonly struct BackpropInputGroup<T>(ReadOnlyMemory<T> dy, ReadOnlyMemory<T> f, Memory<T> dx, Conv2DGeometry g) : IGroupWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int first, int count)
        {
            int cols = count * g.Pixels;
            var col = ArrayPool<T>.Shared.Rent(g.Patch * cols);
            var gathered = count == 1 ? null : ArrayPool<T>.Shared.Rent(g.O * cols);
            try
            {
                var dyGroup = GroupOf(dy.Span, gathered, first, count, g);
                var unfolded = col.AsSpan(0, g.Patch * cols);
                MatMul.Multiply(f.Span, dyGroup, unfolded, g.Patch, cols, g.O, true, false);
                var dxSpan = dx.Span;
                for (int j = 0; j < count; j++)
                {
                    var image = Image(dxSpan, first + j, g.C * g.H * g.W);
                    image.Clear();
                    Col2ImAdd(unfolded, cols, j * g.Pixels, image, g);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
                if (gathered is not null) ArrayPool<T>.Shared.Return(gathered);
            }
        }
    }

    /// <summary>Writes group k's filter gradient to slot k of <paramref name="partials"/> (one slot when there is one group).</summary>
    private readonly struct BackpropFilterGroup<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> dy, Memory<T> partials, Conv2DGeometry g, int group) : IGroupWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int first, int count)
        {
            int cols = count * g.Pixels, size = g.O * g.Patch;
            var col = ArrayPool<T>.Shared.Rent(g.Patch * cols);
            var gathered = count == 1 ? null : ArrayPool<T>.Shared.Rent(g.O * cols);
            try
            {
                var unfolded = col.AsSpan(0, g.Patch * cols);
                for (int j = 0; j < count; j++) Im2Col(Image(x.Span, first + j, g.C * g.H * g.W), unfolded, cols, j * g.Pixels, g);
                var dyGroup = GroupOf(dy.Span, gathered, first, count, g);
                MatMul.Multiply<T>(dyGroup, unfolded, partials.Span.Slice(first / group * size, size), g.O, g.Patch, cols, false, true);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
                if (gathered is not null) ArrayPool<T>.Shared.Return(gathered);
            }
        }
    }

    /// <summary>dy of images first..first+count as one [O, count·pixels] matrix: a view for one image, else gathered into scratch.</summary>
    private static ReadOnlySpan<T> GroupOf<T>(ReadOnlySpan<T> dy, T[]? scratch, int first, int count, Conv2DGeometry g)
    {
        if (scratch is null) return Image(dy, first, g.O * g.Pixels);
        ImagesToGroup(dy, scratch, first, count, g.O, g.Pixels);
        return scratch.AsSpan(0, g.O * count * g.Pixels);
    }

    private static ReadOnlySpan<T> Image<T>(ReadOnlySpan<T> all, int n, int size) => all.Slice(n * size, size);
    private static Span<T> Image<T>(Span<T> all, int n, int size) => all.Slice(n * size, size);

    /// <summary>Images per group: enough for a wide multiply, few enough to bound scratch and leave groups to run in parallel.</summary>
    private static int GroupSize(Conv2DGeometry g)
    {
        int byMemory = Math.Max(1, GroupElements / Math.Max(1, g.Patch * g.Pixels));
        int byParallelism = (g.N + 7) / 8;
        return Math.Max(1, Math.Min(byMemory, byParallelism));
    }

    /// <summary>Runs the groups in order on this thread, or in parallel when the work is large (no allocation on the sequential path).</summary>
    private static void ForEachGroup<TWork>(Conv2DGeometry g, TWork work) where TWork : struct, IGroupWork
    {
        int group = GroupSize(g), groups = (g.N + group - 1) / group;
        long macs = (long)g.N * g.O * g.Patch * g.Pixels;
        if (groups == 1 || macs < ParallelThreshold)
            for (int i = 0; i < groups; i++) work.Run(i * group, Math.Min(group, g.N - i * group));
        else RunParallel(work, group, groups, g.N);
    }

    private static void RunParallel<TWork>(TWork work, int group, int groups, int n) where TWork : struct, IGroupWork =>
        Parallel.For(0, groups, i => work.Run(i * group, Math.Min(group, n - i * group)));

    /// <summary>Copies a group matrix [rows, count·pixels] into images first..first+count of [N, rows, pixels].</summary>
    private static void GroupToImages<T>(ReadOnlySpan<T> group, Span<T> images, int first, int count, int rows, int pixels)
    {
        int cols = count * pixels;
        for (int j = 0; j < count; j++)
            for (int r = 0; r < rows; r++)
                group.Slice(r * cols + j * pixels, pixels).CopyTo(images.Slice(((first + j) * rows + r) * pixels, pixels));
    }

    /// <summary>Gathers images first..first+count of [N, rows, pixels] side by side into a group matrix [rows, count·pixels].</summary>
    private static void ImagesToGroup<T>(ReadOnlySpan<T> images, Span<T> group, int first, int count, int rows, int pixels)
    {
        int cols = count * pixels;
        for (int j = 0; j < count; j++)
            for (int r = 0; r < rows; r++)
                images.Slice(((first + j) * rows + r) * pixels, pixels).CopyTo(group.Slice(r * cols + j * pixels, pixels));
    }

    /// <summary>
    /// Unfolds one image [C, H, W] into columns offset..offset+OH·OW of a matrix with <paramref name="ld"/> columns:
    /// row (c, p, q), column (i, j) holds x[c, i·s − pad + p·d, j·s − pad + q·d], or 0 in the padding.
    /// </summary>
    internal static void Im2Col<T>(ReadOnlySpan<T> x, Span<T> col, int ld, int offset, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, s = g.Stride, row = 0;
        for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
                for (int q = 0; q < g.KW; q++, row++)
                {
                    var dst = col.Slice(row * ld + offset, oh * ow);
                    int ih0 = p * g.Dilation - g.Padding, iw0 = q * g.Dilation - g.Padding;
                    var (lo, hi) = ValidColumns(iw0, s, g.W, ow);
                    for (int i = 0; i < oh; i++)
                    {
                        var d = dst.Slice(i * ow, ow);
                        int ih = i * s + ih0;
                        if ((uint)ih >= (uint)g.H) { d.Clear(); continue; }
                        if (lo > 0) d[..lo].Clear();
                        if (hi < ow) d[hi..].Clear();
                        var src = x.Slice((c * g.H + ih) * g.W, g.W);
                        if (s == 1) src.Slice(lo + iw0, hi - lo).CopyTo(d[lo..hi]);
                        else for (int j = lo; j < hi; j++) d[j] = src[j * s + iw0];
                    }
                }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds each column entry back onto the input pixel it was read from.</summary>
    internal static void Col2ImAdd<T>(ReadOnlySpan<T> col, int ld, int offset, Span<T> x, Conv2DGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, s = g.Stride, row = 0;
        for (int c = 0; c < g.C; c++)
            for (int p = 0; p < g.KH; p++)
                for (int q = 0; q < g.KW; q++, row++)
                {
                    var src = col.Slice(row * ld + offset, oh * ow);
                    int ih0 = p * g.Dilation - g.Padding, iw0 = q * g.Dilation - g.Padding;
                    var (lo, hi) = ValidColumns(iw0, s, g.W, ow);
                    if (hi <= lo) continue;
                    for (int i = 0; i < oh; i++)
                    {
                        int ih = i * s + ih0;
                        if ((uint)ih >= (uint)g.H) continue;
                        var r = src.Slice(i * ow, ow);
                        var dst = x.Slice((c * g.H + ih) * g.W, g.W);
                        if (s == 1)
                        {
                            var d = dst.Slice(lo + iw0, hi - lo);
                            TensorPrimitives.Add(d, r[lo..hi], d);
                        }
                        else for (int j = lo; j < hi; j++) dst[j * s + iw0] += r[j];
                    }
                }
    }

    /// <summary>The output columns j in [lo, hi) whose input column j·s + iw0 lies inside [0, W).</summary>
    private static (int lo, int hi) ValidColumns(int iw0, int s, int w, int ow)
    {
        int lo = iw0 >= 0 ? 0 : (-iw0 + s - 1) / s;
        int hi = w - 1 - iw0 < 0 ? 0 : Math.Min(ow, (w - 1 - iw0) / s + 1);
        lo = Math.Min(lo, ow);
        return (lo, Math.Max(lo, hi));
    }
}
