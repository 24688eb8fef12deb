using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// C = op(A) · op(B) for row-major matrices, where op transposes when asked:
/// A is m×k (or k×m when transposeA), B is k×n (or n×k when transposeB), C is m×n.
/// </summary>
internal static class MatMul
{
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool transposeA, bool transposeB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        c = c[..(m * n)];
        if (transposeB)
        {
            // Rows of B are columns of op(B): each C element is a dot product of contiguous rows.
            Span<T> aRow = transposeA ? new T[k] : default;
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<T> ar;
                if (transposeA) { for (int p = 0; p < k; p++) aRow[p] = a[p * m + i]; ar = aRow; }
                else ar = a.Slice(i * k, k);
                for (int j = 0; j < n; j++) c[i * n + j] = TensorPrimitives.Dot(ar, b.Slice(j * k, k));
            }
            return;
        }
        c.Clear();
        for (int i = 0; i < m; i++)
        {
            var cr = c.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[p * m + i] : a[i * k + p];
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cr, cr);
            }
        }
    }
}
