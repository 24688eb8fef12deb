using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Kernels that walk one axis of a row-major tensor seen as [outer, n, inner]: arg-reductions, cumulative sums,
/// top-k selection and gathers along the last axis.
/// </summary>
internal static class AxisScan
{
    /// <summary>The shape seen as [outer, n, inner] around <paramref name="axis"/>.</summary>
    public static (int Outer, int N, int Inner) Split(ReadOnlySpan<int> shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>
    /// z[o, i] = the index along the axis of the largest (or smallest) x[o, :, i]; the first one on ties, and the first NaN
    /// when there is one (as NumPy).
    /// </summary>
    public static void ArgExtreme<T, TIndex>(ReadOnlySpan<T> x, Span<TIndex> z, int outer, int n, int inner, bool largest)
        where T : unmanaged, INumber<T> where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int at = o * n * inner + i, best = 0;
                T bestValue = x[at];
                for (int k = 1; k < n && !T.IsNaN(bestValue); k++)
                {
                    T v = x[at + k * inner];
                    if (T.IsNaN(v) || (largest ? v > bestValue : v < bestValue)) { best = k; bestValue = v; }
                }
                z[o * inner + i] = TIndex.CreateTruncating(best);
            }
    }

    /// <summary>z = the running sum of x along the axis; exclusive leaves out the element itself, reverse sums from the end.</summary>
    public static void Cumsum<T>(ReadOnlySpan<T> x, Span<T> z, int outer, int n, int inner, bool exclusive, bool reverse)
        where T : unmanaged, INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                T sum = T.Zero;
                for (int step = 0; step < n; step++)
                {
                    int k = reverse ? n - 1 - step : step, at = (o * n + k) * inner + i;
                    T v = x[at];
                    if (exclusive) { z[at] = sum; sum += v; }
                    else { sum += v; z[at] = sum; }
                }
            }
    }

    /// <summary>
    /// indices[r, :] = the positions of the k largest elements of row r of x [rows, n], largest first; equal values keep
    /// their order (lower index first) and NaN counts as the largest.
    /// </summary>
    public static void TopKIndices<T>(ReadOnlySpan<T> x, Span<int> indices, int rows, int n, int k) where T : unmanaged, INumber<T>
    {
        var order = k <= 256 ? stackalloc int[k] : new int[k];
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * n, n);
            // Insertion into a sorted list of k places: O(n·k), fine for the small k top-k is used with.
            int filled = 0;
            for (int j = 0; j < n; j++)
            {
                int pos = Math.Min(filled, k);
                while (pos > 0 && Before(row[j], row[order[pos - 1]])) pos--;
                if (pos >= k) continue;
                for (int m = Math.Min(filled, k - 1); m > pos; m--) order[m] = order[m - 1];
                order[pos] = j;
                filled = Math.Min(filled + 1, k);
            }
            order[..k].CopyTo(indices.Slice(r * k, k));
        }
    }

    /// <summary>True when a ranks strictly before b: larger, or NaN against a number.</summary>
    private static bool Before<T>(T a, T b) where T : unmanaged, INumber<T> =>
        T.IsNaN(a) ? !T.IsNaN(b) : !T.IsNaN(b) && a > b;

    /// <summary>z[r, j] = x[r, indices[r, j]] for x [rows, n] and indices [rows, k] (already checked to be in [0, n)).</summary>
    public static void TakeAlongLastAxis<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> indices, Span<T> z, int rows, int n, int k)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++)
                z[r * k + j] = x[r * n + indices[r * k + j]];
    }
}
