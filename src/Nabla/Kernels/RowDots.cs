using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// C += A·Bᵀ for row-major A [m, k] and B [n, k]: every entry is the dot product of a row of A and a row of B, both
/// read contiguously. For products whose long dimension is k (the filter gradient of a convolution sums over pixels),
/// this beats packing a transposed operand: blocks of 3 rows of A × 4 rows of B keep 12 vector sums in registers.
/// </summary>
internal static class RowDots
{
    /// <summary>How many of the m·n dot products fall outside whole 3×4 blocks (they run one at a time, slower).</summary>
    public static long EdgeDots(int m, int n) => (long)(m % 3) * n + (long)(n % 4) * (m - m % 3);

    /// <summary>c[i·n + j] += Σ_t a[i·k + t] · b[j·k + t] for i &lt; m, j &lt; n.</summary>
    public static unsafe void Accumulate<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((long)m * k > a.Length || (long)n * k > b.Length || (long)m * n > c.Length)
            throw new ShapeMismatchException($"RowDots kernel: spans of {a.Length}, {b.Length} and {c.Length} elements are too short for {m}×{k} · ({n}×{k})ᵀ.");
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            var call = new AccumulateCall(pa, pb, pc, m, n, k);
            VectorWidth.Run<T, AccumulateCall>(ref call);
        }
    }

    private readonly unsafe struct AccumulateCall(void* a, void* b, void* c, int m, int n, int k) : IWidthKernel
    {
        public void Run<TOps, TV, T>() where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
            RowDots<TOps, TV, T>.Accumulate((T*)a, (T*)b, (T*)c, m, n, k);
    }
}

/// <summary><see cref="RowDots.Accumulate"/> for one vector width.</summary>
internal static unsafe class RowDots<TOps, TV, T> where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Accumulate(T* a, T* b, T* c, int m, int n, int k)
    {
        int i = 0;
        for (; i + 3 <= m; i += 3)
        {
            int j = 0;
            for (; j + 4 <= n; j += 4) Block(a + i * (nint)k, b + j * (nint)k, c + i * (nint)n + j, n, k);
            for (; j < n; j++)
                for (int r = i; r < i + 3; r++) c[r * (nint)n + j] += Dot(a + r * (nint)k, b + j * (nint)k, k);
        }
        for (; i < m; i++)
            for (int j = 0; j < n; j++) c[i * (nint)n + j] += Dot(a + i * (nint)k, b + j * (nint)k, k);
    }

    /// <summary>The 3×4 block of C at <paramref name="c"/> (rows <paramref name="ldc"/> apart) += A rows a.. · B rows b..</summary>
    private static void Block(T* a, T* b, T* c, int ldc, int k)
    {
        int lanes = TOps.Lanes;
        T* a1 = a + k, a2 = a1 + k, b1 = b + k, b2 = b1 + k, b3 = b2 + k;
        TV s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero;
        TV s10 = TOps.Zero, s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero;
        TV s20 = TOps.Zero, s21 = TOps.Zero, s22 = TOps.Zero, s23 = TOps.Zero;
        int t = 0;
        for (; t + lanes <= k; t += lanes)
        {
            TV x0 = TOps.Load(a + t), x1 = TOps.Load(a1 + t), x2 = TOps.Load(a2 + t);
            TV y = TOps.Load(b + t);
            s00 = TOps.Fma(x0, y, s00); s10 = TOps.Fma(x1, y, s10); s20 = TOps.Fma(x2, y, s20);
            y = TOps.Load(b1 + t);
            s01 = TOps.Fma(x0, y, s01); s11 = TOps.Fma(x1, y, s11); s21 = TOps.Fma(x2, y, s21);
            y = TOps.Load(b2 + t);
            s02 = TOps.Fma(x0, y, s02); s12 = TOps.Fma(x1, y, s12); s22 = TOps.Fma(x2, y, s22);
            y = TOps.Load(b3 + t);
            s03 = TOps.Fma(x0, y, s03); s13 = TOps.Fma(x1, y, s13); s23 = TOps.Fma(x2, y, s23);
        }
        if (t < k && k >= lanes)
        {
            // The last partial vector: one load ending at k, lanes already summed masked to 0 on both sides (0·∞ would be NaN).
            TV mask = TailMask(k - t);
            int last = k - lanes;
            TV x0 = And(TOps.Load(a + last), mask), x1 = And(TOps.Load(a1 + last), mask), x2 = And(TOps.Load(a2 + last), mask);
            TV y = And(TOps.Load(b + last), mask);
            s00 = TOps.Fma(x0, y, s00); s10 = TOps.Fma(x1, y, s10); s20 = TOps.Fma(x2, y, s20);
            y = And(TOps.Load(b1 + last), mask);
            s01 = TOps.Fma(x0, y, s01); s11 = TOps.Fma(x1, y, s11); s21 = TOps.Fma(x2, y, s21);
            y = And(TOps.Load(b2 + last), mask);
            s02 = TOps.Fma(x0, y, s02); s12 = TOps.Fma(x1, y, s12); s22 = TOps.Fma(x2, y, s22);
            y = And(TOps.Load(b3 + last), mask);
            s03 = TOps.Fma(x0, y, s03); s13 = TOps.Fma(x1, y, s13); s23 = TOps.Fma(x2, y, s23);
            t = k;
        }
        T* row = c;
        Finish(row, s00, s01, s02, s03, a, b, t, k);
        row += ldc;
        Finish(row, s10, s11, s12, s13, a1, b, t, k);
        row += ldc;
        Finish(row, s20, s21, s22, s23, a2, b, t, k);
    }

    /// <summary>Adds the four sums of one A row, each completed with the scalar tail t..k, to c[0..4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(T* c, TV s0, TV s1, TV s2, TV s3, T* a, T* b, int t, int k)
    {
        c[0] += Sum(s0) + Tail(a, b, t, k);
        c[1] += Sum(s1) + Tail(a, b + k, t, k);
        c[2] += Sum(s2) + Tail(a, b + 2 * (nint)k, t, k);
        c[3] += Sum(s3) + Tail(a, b + 3 * (nint)k, t, k);
    }

    private static T Dot(T* a, T* b, int k)
    {
        TV s = TOps.Zero;
        int t = 0;
        for (; t + TOps.Lanes <= k; t += TOps.Lanes) s = TOps.Fma(TOps.Load(a + t), TOps.Load(b + t), s);
        if (t < k && k >= TOps.Lanes)
        {
            TV mask = TailMask(k - t);
            int last = k - TOps.Lanes;
            s = TOps.Fma(And(TOps.Load(a + last), mask), And(TOps.Load(b + last), mask), s);
            t = k;
        }
        return Sum(s) + Tail(a, b, t, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tail(T* a, T* b, int t, int k)
    {
        T s = T.Zero;
        for (; t < k; t++) s += a[t] * b[t];
        return s;
    }

    /// <summary>All ones in the last <paramref name="valid"/> lanes, zero in the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV TailMask(int valid)
    {
        T first = T.CreateTruncating(TOps.Lanes - valid);
        if (typeof(TV) == typeof(Vector512<T>))
        {
            var m = Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(first));
            return Unsafe.As<Vector512<T>, TV>(ref m);
        }
        if (typeof(TV) == typeof(Vector256<T>))
        {
            var m = Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(first));
            return Unsafe.As<Vector256<T>, TV>(ref m);
        }
        var m128 = Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(first));
        return Unsafe.As<Vector128<T>, TV>(ref m128);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV And(TV a, TV b)
    {
        if (typeof(TV) == typeof(Vector512<T>))
        {
            var r = Unsafe.As<TV, Vector512<T>>(ref a) & Unsafe.As<TV, Vector512<T>>(ref b);
            return Unsafe.As<Vector512<T>, TV>(ref r);
        }
        if (typeof(TV) == typeof(Vector256<T>))
        {
            var r = Unsafe.As<TV, Vector256<T>>(ref a) & Unsafe.As<TV, Vector256<T>>(ref b);
            return Unsafe.As<Vector256<T>, TV>(ref r);
        }
        var r128 = Unsafe.As<TV, Vector128<T>>(ref a) & Unsafe.As<TV, Vector128<T>>(ref b);
        return Unsafe.As<Vector128<T>, TV>(ref r128);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Sum(TV v)
    {
        // TV is one of these three (a constant to the JIT), so only one branch remains.
        if (typeof(TV) == typeof(Vector512<T>)) return Vector512.Sum(Unsafe.As<TV, Vector512<T>>(ref v));
        if (typeof(TV) == typeof(Vector256<T>)) return Vector256.Sum(Unsafe.As<TV, Vector256<T>>(ref v));
        return Vector128.Sum(Unsafe.As<TV, Vector128<T>>(ref v));
    }
}
