using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// Copies blocks of A and B into the panel layout the microkernel streams through, reading each operand
/// through a row and a column stride, so transposed operands cost nothing extra. Edges are zero-padded.
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Packs rows [0, mc) × columns [0, kc) of A (element (i, p) at a[i·rs + p·cs]) into panels of
    /// <paramref name="mr"/> rows: panel q holds, for each p, the mr values A(q·mr + r, p).
    /// </summary>
    public static unsafe void PackA<T>(T* a, nint rs, nint cs, int mc, int kc, int mr, T* dst) where T : unmanaged
    {
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int rows = Math.Min(mr, mc - i0);
            T* src = a + i0 * rs;
            if (cs == 1 && rows == mr)
            {
                for (int r = 0; r < mr; r++)
                {
                    T* row = src + r * rs;
                    T* d = dst + r;
                    for (int p = 0; p < kc; p++) d[p * mr] = row[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* col = src + p * cs;
                    T* d = dst + p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = col[r * rs];
                    for (; r < mr; r++) d[r] = default;
                }
            }
            dst += mr * kc;
        }
    }

    /// <summary>
    /// Packs rows [0, kc) × columns [0, nc) of B (element (p, j) at b[p·rs + j·cs]) into panels of
    /// <paramref name="nr"/> columns: panel q holds, for each p, the nr values B(p, q·nr + j).
    /// </summary>
    public static unsafe void PackB<T>(T* b, nint rs, nint cs, int kc, int nc, int nr, T* dst) where T : unmanaged
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            T* src = b + j0 * cs;
            if (cs == 1 && cols == nr)
            {
                nuint bytes = (nuint)(nr * sizeof(T));
                for (int p = 0; p < kc; p++) Unsafe.CopyBlockUnaligned(dst + p * nr, src + p * rs, (uint)bytes);
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    T* row = src + p * rs;
                    T* d = dst + p * nr;
                    int j = 0;
                    for (; j < cols; j++) d[j] = row[j * cs];
                    for (; j < nr; j++) d[j] = default;
                }
            }
            dst += nr * kc;
        }
    }
}
