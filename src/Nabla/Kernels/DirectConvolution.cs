using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// The forward stride-1 convolution computed straight from a zero-padded copy of each image, without unfolding it:
/// for each output row, a register tile of up to 6 filters × 2 vectors of output columns sums over every (channel,
/// kernel row, kernel column) tap, loading the tap's input row segment once for all the tile's filters. It fits
/// layers whose output rows fill whole vectors well (the first layers of image models); narrower rows go through
/// im2col and the GEMM, whose unfolded matrix is cheaper than the lanes this kernel would leave empty.
/// </summary>
internal static unsafe partial class DirectConvolution
{
    /// <summary>Filters per register tile; filter rows are packed in groups of this many.</summary>
    public const int Filters = 6;

    /// <summary>Whether the kernel takes <paramref name="g"/>: stride and dilation 1, output rows filling at least 3/4 of their vectors.</summary>
    public static bool Fits<T>(Conv2DGeometry g) where T : unmanaged
    {
        int width = 2 * VectorWidth.Lanes<T>(), tiles = (g.OW + width - 1) / width;
        return g.Stride == 1 && g.Dilation == 1 && g.OW > 0 && 4 * g.OW >= 3 * tiles * width;
    }

    /// <summary>Elements of the per-thread buffer for the zero-padded image (and a few more for loads past the last row).</summary>
    public static int PaddedSize<T>(Conv2DGeometry g) where T : unmanaged => g.C * (g.H + 2 * g.Padding) * PaddedRow<T>(g) + Slack;

    /// <summary>Loads of a tile may reach this many elements past the last padded row (lanes whose results are dropped).</summary>
    private const int Slack = 8;

    /// <summary>Output columns rounded up to whole tiles of 2 vectors.</summary>
    private static int Span<T>(Conv2DGeometry g) where T : unmanaged
    {
        int width = 2 * VectorWidth.Lanes<T>();
        return (g.OW + width - 1) / width * width;
    }

    /// <summary>A padded image row: wide enough that every tile's loads stay inside it (zeros past the input).</summary>
    private static int PaddedRow<T>(Conv2DGeometry g) where T : unmanaged => Span<T>(g) + g.KW - 1;

    /// <summary>x [C, H, W] copied into zeroed rows of <see cref="PaddedRow"/> elements with <c>Padding</c> zero rows and columns around it.</summary>
    private static void Pad<T>(T* x, Conv2DGeometry g, T* padded) where T : unmanaged
    {
        int hp = g.H + 2 * g.Padding, row = PaddedRow<T>(g);
        new Span<T>(padded, PaddedSize<T>(g)).Clear();
        for (int c = 0; c < g.C; c++)
            for (int h = 0; h < g.H; h++)
                ShortRows.CopyUnchecked(ref *(x + (c * g.H + h) * (nint)g.W), ref *(padded + (c * hp + h + g.Padding) * (nint)row + g.Padding), g.W);
    }

    /// <summary>Filter rows in <see cref="Forward"/>'s packed layout: O rounded up to whole tiles, the extra rows zero.</summary>
    public static int PackedFilterRows(int filters) => (filters + Filters - 1) / Filters * Filters;

    /// <summary>
    /// y [O, OH, OW] = conv(x [C, H, W], f) for one image, with <paramref name="filters"/> holding f as
    /// [<see cref="PackedFilterRows"/>(O), C·KH·KW] and <paramref name="padded"/> <see cref="PaddedSize"/> elements of scratch.
    /// </summary>
    public static void Forward<T>(T* x, T* filters, T* y, Conv2DGeometry g, T* padded) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var call = new ForwardCall(x, filters, y, g, padded);
        VectorWidth.Run<T, ForwardCall>(ref call);
    }

    private readonly struct ForwardCall(void* x, void* filters, void* y, Conv2DGeometry g, void* padded) : IWidthKernel
    {
        public void Run<TOps, TV, T>() where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
            Impl<TOps, TV, T>.Forward((T*)x, (T*)filters, (T*)y, g, (T*)padded);
    }

    private static partial class Impl<TOps, TV, T> where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Forward(T* x, T* filters, T* y, Conv2DGeometry g, T* padded)
        {
            int hp = g.H + 2 * g.Padding, wp = PaddedRow<T>(g), width = 2 * TOps.Lanes;
            T* rest = stackalloc T[16]; // the lanes of a partly stored vector
            // Zero-padded copy: every tap's row segment is then a plain load; lanes past OW are computed and dropped.
            Pad(x, g, padded);
            var taps = new Taps(g.C, g.KH, g.KW, hp * (nint)wp, wp, g.Patch, g.OH * (nint)g.OW);
            for (int o0 = 0; o0 < g.O; o0 += Filters)
                for (int i = 0; i < g.OH; i++)
                    for (int j0 = 0; j0 < g.OW; j0 += width)
                        Tile(padded + i * (nint)wp + j0, filters + o0 * (nint)g.Patch, y + (o0 * (nint)g.OH + i) * g.OW + j0, taps,
                            Math.Min(Filters, g.O - o0), Math.Min(width, g.OW - j0), rest);
        }

        /// <summary>
        /// Output row segment of up to 6 filters × 2 vectors: Σ over taps of filter value × input row segment. It calls
        /// nothing, so the twelve accumulators stay in registers (a call would make the JIT spill them at every FMA).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Tile(T* input, T* f, T* y, Taps t, int rows, int cols, T* rest)
        {
            int lanes = TOps.Lanes;
            nint patch = t.Patch;
            TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
            TV c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
            for (int c = 0; c < t.C; c++)
                for (int kh = 0; kh < t.KH; kh++)
                {
                    T* row = input + c * t.Plane + kh * t.Row;
                    T* fr = f + (c * t.KH + kh) * t.KW;
                    for (int kw = 0; kw < t.KW; kw++)
                    {
                        TV b0 = TOps.Load(row + kw), b1 = TOps.Load(row + kw + lanes);
                        TV v = TOps.Splat(fr[kw]); c00 = TOps.Fma(v, b0, c00); c01 = TOps.Fma(v, b1, c01);
                        v = TOps.Splat(fr[patch + kw]); c10 = TOps.Fma(v, b0, c10); c11 = TOps.Fma(v, b1, c11);
                        v = TOps.Splat(fr[2 * patch + kw]); c20 = TOps.Fma(v, b0, c20); c21 = TOps.Fma(v, b1, c21);
                        v = TOps.Splat(fr[3 * patch + kw]); c30 = TOps.Fma(v, b0, c30); c31 = TOps.Fma(v, b1, c31);
                        v = TOps.Splat(fr[4 * patch + kw]); c40 = TOps.Fma(v, b0, c40); c41 = TOps.Fma(v, b1, c41);
                        v = TOps.Splat(fr[5 * patch + kw]); c50 = TOps.Fma(v, b0, c50); c51 = TOps.Fma(v, b1, c51);
                    }
                }
            nint plane = t.OutputPlane;
            Store(y, c00, c01, cols, rest);
            if (rows > 1) Store(y + plane, c10, c11, cols, rest);
            if (rows > 2) Store(y + 2 * plane, c20, c21, cols, rest);
            if (rows > 3) Store(y + 3 * plane, c30, c31, cols, rest);
            if (rows > 4) Store(y + 4 * plane, c40, c41, cols, rest);
            if (rows > 5) Store(y + 5 * plane, c50, c51, cols, rest);
        }

        /// <summary>Strides of the padded image and the filter taps, passed to <see cref="Tile"/> as plain numbers.</summary>
        private readonly record struct Taps(int C, int KH, int KW, nint Plane, nint Row, nint Patch, nint OutputPlane);

        /// <summary>The first <paramref name="cols"/> lanes of (v0, v1) to y: whole vectors where they fit, the rest through <paramref name="rest"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(T* y, TV v0, TV v1, int cols, T* rest)
        {
            int lanes = TOps.Lanes;
            if (cols == 2 * lanes) { TOps.Store(v0, y); TOps.Store(v1, y + lanes); return; }
            TV tail = v1;
            if (cols >= lanes) { TOps.Store(v0, y); y += lanes; cols -= lanes; }
            else tail = v0;
            TOps.Store(tail, rest);
            for (int j = 0; j < cols; j++) y[j] = rest[j];
        }
    }
}
