using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// C = op(A) · op(B) for row-major matrices, where op transposes when asked:
/// A is m×k (or k×m when transposeA), B is k×n (or n×k when transposeB), C is m×n.
/// </summary>
internal static class MatMul
{
    /// <summary>Products with at most this many multiply-adds skip packing: a plain loop is faster.</summary>
    private const int SmallProduct = 4096;

    /// <summary>
    /// Overwrites the first m·n elements of <paramref name="c"/> with op(A)·op(B). Transposes are read
    /// through strides while packing; NaN and ∞ propagate as in the plain sum of products.
    /// </summary>
    public static unsafe void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((long)m * k > a.Length || (long)k * n > b.Length || (long)m * n > c.Length)
            throw new ShapeMismatchException($"MatMul kernel: spans of {a.Length}, {b.Length} and {c.Length} elements are too short for {m}×{k} · {k}×{n}.");
        if (m == 0 || n == 0) return;
        c = c[..(m * n)];
        if (k == 0) { c.Clear(); return; }
        nint rsA = transposeA ? 1 : k, csA = transposeA ? m : 1;
        nint rsB = transposeB ? 1 : n, csB = transposeB ? k : 1;
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            if ((long)m * n * k <= SmallProduct) Naive(pa, rsA, csA, pb, rsB, csB, pc, m, n, k);
            else
            {
                var gemm = new GemmCall(pa, rsA, csA, pb, rsB, csB, pc, m, n, k);
                VectorWidth.Run<T, GemmCall>(ref gemm);
            }
        }
    }

    /// <summary>The packed GEMM's arguments, run at the width <see cref="VectorWidth"/> picks.</summary>
    private readonly unsafe struct GemmCall(void* a, nint rsA, nint csA, void* b, nint rsB, nint csB, void* c, int m, int n, int k) : IWidthKernel
    {
        public void Run<TOps, TV, T>() where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
            Gemm<TOps, TV, T>.Multiply((T*)a, rsA, csA, (T*)b, rsB, csB, (T*)c, m, n, k);
    }

    /// <summary>
    /// Products too small to amortize packing (an attention head's 16 × 16 scores): with rows of B contiguous, each row
    /// of C gathers a·(row of B) in vectors, in the order of the plain sum; with A's rows and op(B)'s columns contiguous
    /// (B transposed), vector dot products; otherwise the plain sum of products.
    /// </summary>
    private static unsafe void Naive<T>(T* a, nint rsA, nint csA, T* b, nint rsB, nint csB, T* c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector<T>.Count;
        if (csB == 1 && n >= lanes)
        {
            int last = n - lanes;
            for (int i = 0; i < m; i++)
            {
                T* ci = c + i * n;
                // Whole vectors, the last one overlapping the one before: each element's sum runs over p in order.
                for (int j = 0; ; j = Math.Min(j + lanes, last))
                {
                    var sum = Vector<T>.Zero;
                    for (int p = 0; p < k; p++) sum += new Vector<T>(a[i * rsA + p * csA]) * Vector.Load(b + p * rsB + j);
                    sum.Store(ci + j);
                    if (j == last) break;
                }
            }
            return;
        }
        if (csA == 1 && rsB == 1 && k >= lanes)
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    T* ai = a + i * rsA, bj = b + j * csB;
                    var sum = Vector<T>.Zero;
                    int p = 0;
                    for (; p <= k - lanes; p += lanes) sum += Vector.Load(ai + p) * Vector.Load(bj + p);
                    T total = Vector.Sum(sum);
                    for (; p < k; p++) total += ai[p] * bj[p];
                    c[i * n + j] = total;
                }
            return;
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[i * rsA + p * csA] * b[p * rsB + j * csB];
                c[i * n + j] = sum;
            }
    }
}
