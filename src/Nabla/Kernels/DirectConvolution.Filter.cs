using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The filter gradient of the same layers, without unfolding: df[o, c, kh, kw] sums dy[o, i, j] · x[c, i + kh − pad,
/// j + kw − pad] over the image with a register tile of 3 filters × 5 taps of one kernel row (15 vector sums), each
/// output row's dy segments loaded once for the 5 taps and each input segment once for the 3 filters. Fifteen
/// accumulators and their operands need 32 vector registers, so it runs only where <c>Vector512</c> is accelerated.
/// </summary>
internal static unsafe partial class DirectConvolution
{
    /// <summary>Filters and taps per filter-gradient tile.</summary>
    private const int GradientFilters = 3, GradientTaps = 5;

    /// <summary>Whether <see cref="Filter"/> takes <paramref name="g"/>: where <see cref="Fits"/> does, on a machine with 32 vector registers.</summary>
    public static bool FitsFilter<T>(Conv2DGeometry g) where T : unmanaged => Vector512.IsHardwareAccelerated && Fits<T>(g);

    /// <summary>Elements of the per-thread buffer for dy with rows padded to whole tiles and filters to whole groups of 3.</summary>
    public static int PaddedGradientSize<T>(Conv2DGeometry g) where T : unmanaged =>
        (g.O + GradientFilters - 1) / GradientFilters * GradientFilters * g.OH * Span<T>(g);

    /// <summary>
    /// sum [O, C·KH·KW] += the filter gradient of <paramref name="images"/> consecutive images: x [images, C, H, W],
    /// dy [images, O, OH, OW]; <paramref name="padded"/> and <paramref name="paddedDy"/> hold images × <see cref="PaddedSize"/>
    /// and images × <see cref="PaddedGradientSize"/> elements of scratch. Each tile sums over all the images before its
    /// lanes are added up, so the horizontal sums are paid once per call.
    /// </summary>
    public static void Filter<T>(T* x, T* dy, T* sum, Conv2DGeometry g, int images, T* padded, T* paddedDy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!FitsFilter<T>(g)) throw new InvalidOperationException($"The direct filter gradient does not take {g}.");
        if (typeof(T) == typeof(float)) Impl<F32x16, Vector512<float>, float>.Filter((float*)x, (float*)dy, (float*)sum, g, images, (float*)padded, (float*)paddedDy);
        else Impl<F64x8, Vector512<double>, double>.Filter((double*)x, (double*)dy, (double*)sum, g, images, (double*)padded, (double*)paddedDy);
    }

    private static partial class Impl<TOps, TV, T> where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Filter(T* x, T* dy, T* sum, Conv2DGeometry g, int images, T* padded, T* paddedDy)
        {
            int hp = g.H + 2 * g.Padding, row = PaddedRow<T>(g), span = Span<T>(g);
            nint imageX = PaddedSize<T>(g), imageDy = PaddedGradientSize<T>(g);
            for (int n = 0; n < images; n++)
            {
                Pad(x + n * (nint)(g.C * g.H * g.W), g, padded + n * imageX);
                // dy rows padded with zeros to whole tiles (the lanes past OW then add nothing), filters to whole groups of 3.
                T* d = paddedDy + n * imageDy;
                T* src = dy + n * (nint)(g.O * g.OH * g.OW);
                int rows = g.O * g.OH;
                for (int r = 0; r < rows; r++)
                {
                    T* to = d + r * (nint)span;
                    ShortRows.CopyUnchecked(ref *(src + r * (nint)g.OW), ref *to, g.OW);
                    new Span<T>(to + g.OW, span - g.OW).Clear();
                }
                new Span<T>(d + rows * (nint)span, (int)(imageDy - rows * (nint)span)).Clear();
            }
            T* lanes = stackalloc T[16];
            var shape = new GradientShape(images, imageX, imageDy, g.OH, span, row, g.OH * (nint)span, g.Patch);
            for (int o0 = 0; o0 < g.O; o0 += GradientFilters)
                for (int c = 0; c < g.C; c++)
                    for (int kh = 0; kh < g.KH; kh++)
                        for (int kw0 = 0; kw0 < g.KW; kw0 += GradientTaps)
                            GradientTile(padded + (c * hp + kh) * (nint)row + kw0, paddedDy + o0 * shape.DyPlane,
                                sum + o0 * (nint)g.Patch + (c * g.KH + kh) * g.KW + kw0, shape,
                                Math.Min(GradientFilters, g.O - o0), Math.Min(GradientTaps, g.KW - kw0), lanes);
        }

        /// <summary>
        /// s[r·Patch + k] += Σ over output rows and columns of dy[r] · x shifted by tap k, for r &lt; rows, k &lt; taps.
        /// Calls nothing inside its loops, so the fifteen accumulators stay in registers.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void GradientTile(T* x, T* dy, T* s, GradientShape t, int rows, int taps, T* lanes)
        {
            int width = 2 * TOps.Lanes, l = TOps.Lanes;
            TV a00 = TOps.Zero, a01 = TOps.Zero, a02 = TOps.Zero, a03 = TOps.Zero, a04 = TOps.Zero;
            TV a10 = TOps.Zero, a11 = TOps.Zero, a12 = TOps.Zero, a13 = TOps.Zero, a14 = TOps.Zero;
            TV a20 = TOps.Zero, a21 = TOps.Zero, a22 = TOps.Zero, a23 = TOps.Zero, a24 = TOps.Zero;
            for (int n = 0; n < t.Images; n++, x += t.ImageX, dy += t.ImageDy)
            {
                for (int i = 0; i < t.Rows; i++)
                {
                    T* xr = x + i * t.Row;
                    T* d = dy + i * (nint)t.Span;
                    for (int j = 0; j < t.Span; j += width)
                    {
                        TV p0 = TOps.Load(d + j), p1 = TOps.Load(d + j + l);
                        TV q0 = TOps.Load(d + t.DyPlane + j), q1 = TOps.Load(d + t.DyPlane + j + l);
                        TV r0 = TOps.Load(d + 2 * t.DyPlane + j), r1 = TOps.Load(d + 2 * t.DyPlane + j + l);
                        T* xs = xr + j;
                        TV x0 = TOps.Load(xs), x1 = TOps.Load(xs + l);
                        a00 = Two(a00, p0, x0, p1, x1); a10 = Two(a10, q0, x0, q1, x1); a20 = Two(a20, r0, x0, r1, x1);
                        x0 = TOps.Load(xs + 1); x1 = TOps.Load(xs + 1 + l);
                        a01 = Two(a01, p0, x0, p1, x1); a11 = Two(a11, q0, x0, q1, x1); a21 = Two(a21, r0, x0, r1, x1);
                        x0 = TOps.Load(xs + 2); x1 = TOps.Load(xs + 2 + l);
                        a02 = Two(a02, p0, x0, p1, x1); a12 = Two(a12, q0, x0, q1, x1); a22 = Two(a22, r0, x0, r1, x1);
                        x0 = TOps.Load(xs + 3); x1 = TOps.Load(xs + 3 + l);
                        a03 = Two(a03, p0, x0, p1, x1); a13 = Two(a13, q0, x0, q1, x1); a23 = Two(a23, r0, x0, r1, x1);
                        x0 = TOps.Load(xs + 4); x1 = TOps.Load(xs + 4 + l);
                        a04 = Two(a04, p0, x0, p1, x1); a14 = Two(a14, q0, x0, q1, x1); a24 = Two(a24, r0, x0, r1, x1);
                    }
                }
            }
            Add(s, a00, a01, a02, a03, a04, taps, lanes);
            if (rows > 1) Add(s + t.Patch, a10, a11, a12, a13, a14, taps, lanes);
            if (rows > 2) Add(s + 2 * t.Patch, a20, a21, a22, a23, a24, taps, lanes);
        }

        /// <summary>a + u0·v0 + u1·v1, two fused multiply-adds.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TV Two(TV a, TV u0, TV v0, TV u1, TV v1) => TOps.Fma(u1, v1, TOps.Fma(u0, v0, a));

        /// <summary>s[k] += the lane sum of the k-th accumulator, for k &lt; taps (in lane order, so results are reproducible).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add(T* s, TV v0, TV v1, TV v2, TV v3, TV v4, int taps, T* lanes)
        {
            AddLanes(s, v0, lanes);
            if (taps > 1) AddLanes(s + 1, v1, lanes);
            if (taps > 2) AddLanes(s + 2, v2, lanes);
            if (taps > 3) AddLanes(s + 3, v3, lanes);
            if (taps > 4) AddLanes(s + 4, v4, lanes);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddLanes(T* s, TV v, T* lanes)
        {
            TOps.Store(v, lanes);
            T total = *s;
            for (int k = 0; k < TOps.Lanes; k++) total += lanes[k];
            *s = total;
        }
    }

    /// <summary>Sizes of the padded operands, passed to the gradient tile as plain numbers.</summary>
    private readonly record struct GradientShape(int Images, nint ImageX, nint ImageDy, int Rows, int Span, nint Row, nint DyPlane, nint Patch);
}
