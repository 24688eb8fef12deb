using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// C = A·Bᵀ when the rows of A and of B both run along k (a batch times a transposed weight, as in a recurrent step's
/// h·Wᵀ): every entry is a vector dot product of two rows read in place, in blocks of 3 rows of A × 4 rows of B with
/// 12 sums in registers. Nothing is packed: packing a transposed B is a strided gather that, with few rows of A to
/// serve, costs about as much as the product. Ragged blocks repeat their last row and keep only the valid sums.
/// </summary>
internal static unsafe class GemmRowDots<TOps, TV, T> where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    private const int RowsA = 3, RowsB = 4;

    [ThreadStatic] private static Columns? t_columns;

    /// <summary>
    /// C (m×n, ldc = n) = A·Bᵀ with A(i, p) = a[i·lda + p] and B(j, p) = b[j·ldb + p]; k must be at least one vector.
    /// With <paramref name="parallel"/>, the columns of C split over cores.
    /// </summary>
    public static void Multiply(T* a, nint lda, T* b, nint ldb, T* c, int m, int n, int k, bool parallel)
    {
        if (!parallel)
        {
            Run(a, lda, b, ldb, c, m, n, k, 0, n);
            return;
        }
        var columns = t_columns ??= new Columns();
        columns.Set(a, lda, b, ldb, c, m, n, k);
        WorkerPool.For(columns.Parts, columns);
    }

    /// <summary>Columns [j0, j1) of C: for each block of 4 rows of B, every block of 3 rows of A.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(T* a, nint lda, T* b, nint ldb, T* c, int m, int n, int k, int j0, int j1)
    {
        T* edge = stackalloc T[RowsA * RowsB];
        for (int j = j0; j < j1; j += RowsB)
        {
            int cols = Math.Min(RowsB, j1 - j);
            T* b0 = b + j * ldb;
            T* b1 = b0 + Math.Min(1, cols - 1) * ldb, b2 = b0 + Math.Min(2, cols - 1) * ldb, b3 = b0 + (cols - 1) * ldb;
            for (int i = 0; i < m; i += RowsA)
            {
                int rows = Math.Min(RowsA, m - i);
                T* a0 = a + i * lda;
                T* a1 = a0 + Math.Min(1, rows - 1) * lda, a2 = a0 + (rows - 1) * lda;
                T* ct = c + i * (nint)n + j;
                if (rows == RowsA && cols == RowsB)
                {
                    Block(a0, a1, a2, b0, b1, b2, b3, ct, n, k);
                    continue;
                }
                Block(a0, a1, a2, b0, b1, b2, b3, edge, RowsB, k);
                for (int r = 0; r < rows; r++)
                    for (int q = 0; q < cols; q++) ct[r * (nint)n + q] = edge[r * RowsB + q];
            }
        }
    }

    /// <summary>The 3×4 block of C at <paramref name="c"/> (rows <paramref name="ldc"/> apart) = rows a0..a2 · rows b0..b3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(T* a0, T* a1, T* a2, T* b0, T* b1, T* b2, T* b3, T* c, nint ldc, int k)
    {
        int lanes = TOps.Lanes;
        TV s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero;
        TV s10 = TOps.Zero, s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero;
        TV s20 = TOps.Zero, s21 = TOps.Zero, s22 = TOps.Zero, s23 = TOps.Zero;
        int t = 0;
        for (; t + lanes <= k; t += lanes)
        {
            TV x0 = TOps.Load(a0 + t), x1 = TOps.Load(a1 + t), x2 = TOps.Load(a2 + t);
            TV y = TOps.Load(b0 + t);
            s00 = TOps.Fma(x0, y, s00); s10 = TOps.Fma(x1, y, s10); s20 = TOps.Fma(x2, y, s20);
            y = TOps.Load(b1 + t);
            s01 = TOps.Fma(x0, y, s01); s11 = TOps.Fma(x1, y, s11); s21 = TOps.Fma(x2, y, s21);
            y = TOps.Load(b2 + t);
            s02 = TOps.Fma(x0, y, s02); s12 = TOps.Fma(x1, y, s12); s22 = TOps.Fma(x2, y, s22);
            y = TOps.Load(b3 + t);
            s03 = TOps.Fma(x0, y, s03); s13 = TOps.Fma(x1, y, s13); s23 = TOps.Fma(x2, y, s23);
        }
        if (t < k)
        {
            // The last partial vector: one load ending at k with the lanes already summed masked to 0 on both sides
            // (0·∞ would be NaN).
            TV mask = RowDots<TOps, TV, T>.TailMask(k - t);
            int last = k - lanes;
            TV x0 = RowDots<TOps, TV, T>.And(TOps.Load(a0 + last), mask);
            TV x1 = RowDots<TOps, TV, T>.And(TOps.Load(a1 + last), mask);
            TV x2 = RowDots<TOps, TV, T>.And(TOps.Load(a2 + last), mask);
            TV y = RowDots<TOps, TV, T>.And(TOps.Load(b0 + last), mask);
            s00 = TOps.Fma(x0, y, s00); s10 = TOps.Fma(x1, y, s10); s20 = TOps.Fma(x2, y, s20);
            y = RowDots<TOps, TV, T>.And(TOps.Load(b1 + last), mask);
            s01 = TOps.Fma(x0, y, s01); s11 = TOps.Fma(x1, y, s11); s21 = TOps.Fma(x2, y, s21);
            y = RowDots<TOps, TV, T>.And(TOps.Load(b2 + last), mask);
            s02 = TOps.Fma(x0, y, s02); s12 = TOps.Fma(x1, y, s12); s22 = TOps.Fma(x2, y, s22);
            y = RowDots<TOps, TV, T>.And(TOps.Load(b3 + last), mask);
            s03 = TOps.Fma(x0, y, s03); s13 = TOps.Fma(x1, y, s13); s23 = TOps.Fma(x2, y, s23);
        }
        Store(c, s00, s01, s02, s03);
        Store(c + ldc, s10, s11, s12, s13);
        Store(c + 2 * ldc, s20, s21, s22, s23);
    }

    /// <summary>c[0..4) = the sums of s0..s3: with AVX, folded together (halves added, then horizontal adds) and stored as one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* c, TV s0, TV s1, TV s2, TV s3)
    {
        if (Avx.IsSupported && typeof(T) == typeof(float) && (typeof(TV) == typeof(Vector512<float>) || typeof(TV) == typeof(Vector256<float>)))
        {
            Vector256<float> h0 = Half<float>(s0), h1 = Half<float>(s1), h2 = Half<float>(s2), h3 = Half<float>(s3);
            var t = Avx.HorizontalAdd(Avx.HorizontalAdd(h0, h1), Avx.HorizontalAdd(h2, h3));
            (t.GetLower() + t.GetUpper()).Store((float*)c);
            return;
        }
        if (Avx.IsSupported && typeof(T) == typeof(double) && (typeof(TV) == typeof(Vector512<double>) || typeof(TV) == typeof(Vector256<double>)))
        {
            Vector256<double> h0 = Half<double>(s0), h1 = Half<double>(s1), h2 = Half<double>(s2), h3 = Half<double>(s3);
            Vector256<double> t0 = Avx.HorizontalAdd(h0, h1), t1 = Avx.HorizontalAdd(h2, h3);
            (Avx.Permute2x128(t0, t1, 0x20) + Avx.Permute2x128(t0, t1, 0x31)).Store((double*)c);
            return;
        }
        c[0] = RowDots<TOps, TV, T>.Sum(s0);
        c[1] = RowDots<TOps, TV, T>.Sum(s1);
        c[2] = RowDots<TOps, TV, T>.Sum(s2);
        c[3] = RowDots<TOps, TV, T>.Sum(s3);
    }

    /// <summary>A 256-bit vector with the same lane sum as <paramref name="v"/> (a 512-bit one has its halves added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<TE> Half<TE>(TV v) where TE : unmanaged
    {
        if (typeof(TV) == typeof(Vector512<TE>))
        {
            var w = Unsafe.As<TV, Vector512<TE>>(ref v);
            return w.GetLower() + w.GetUpper();
        }
        return Unsafe.As<TV, Vector256<TE>>(ref v);
    }

    /// <summary>The product split into chunks of whole 4-column blocks, one per part.</summary>
    private sealed class Columns : IParallelBody
    {
        private T* a, b, c;
        private nint lda, ldb;
        private int m, n, k, chunk;

        public int Parts => (n + chunk - 1) / chunk;

        public void Set(T* a, nint lda, T* b, nint ldb, T* c, int m, int n, int k)
        {
            this.a = a; this.b = b; this.c = c;
            (this.lda, this.ldb, this.m, this.n, this.k) = (lda, ldb, m, n, k);
            int blocks = (n + RowsB - 1) / RowsB, parts = Math.Min(blocks, 2 * WorkerPool.Parallelism);
            chunk = (blocks + parts - 1) / parts * RowsB;
        }

        public void Run(int part)
        {
            int j0 = part * chunk;
            GemmRowDots<TOps, TV, T>.Run(a, lda, b, ldb, c, m, n, k, j0, Math.Min(n, j0 + chunk));
        }
    }
}
