using System.Numerics;
using System.Runtime.Intrinsics;

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
            else if (typeof(T) == typeof(float)) MultiplyFloat((float*)pa, rsA, csA, (float*)pb, rsB, csB, (float*)pc, m, n, k);
            else MultiplyDouble((double*)pa, rsA, csA, (double*)pb, rsB, csB, (double*)pc, m, n, k);
        }
    }

    private static unsafe void MultiplyFloat(float* a, nint rsA, nint csA, float* b, nint rsB, nint csB, float* c, int m, int n, int k)
    {
        if (Vector512.IsHardwareAccelerated) Gemm<F32x16, Vector512<float>, float>.Multiply(a, rsA, csA, b, rsB, csB, c, m, n, k);
        else if (Vector256.IsHardwareAccelerated) Gemm<F32x8, Vector256<float>, float>.Multiply(a, rsA, csA, b, rsB, csB, c, m, n, k);
        else Gemm<F32x4, Vector128<float>, float>.Multiply(a, rsA, csA, b, rsB, csB, c, m, n, k);
    }

    private static unsafe void MultiplyDouble(double* a, nint rsA, nint csA, double* b, nint rsB, nint csB, double* c, int m, int n, int k)
    {
        if (Vector512.IsHardwareAccelerated) Gemm<F64x8, Vector512<double>, double>.Multiply(a, rsA, csA, b, rsB, csB, c, m, n, k);
        else if (Vector256.IsHardwareAccelerated) Gemm<F64x4, Vector256<double>, double>.Multiply(a, rsA, csA, b, rsB, csB, c, m, n, k);
        else Gemm<F64x2, Vector128<double>, double>.Multiply(a, rsA, csA, b, rsB, csB, c, m, n, k);
    }

    /// <summary>The reference sum of products, for products too small to amortize packing.</summary>
    private static unsafe void Naive<T>(T* a, nint rsA, nint csA, T* b, nint rsB, nint csB, T* c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[i * rsA + p * csA] * b[p * rsB + j * csB];
                c[i * n + j] = sum;
            }
    }
}
