using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// The register tile of the blocked matrix multiply: a 6 × (2·Lanes) block of C held in twelve vector
/// accumulators, updated with one FMA per accumulator for each step along k from packed panels of A and B.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>Rows of the register tile (the height of a packed A panel).</summary>
    public const int Rows = 6;

    /// <summary>
    /// C[0..6, 0..2L] = (accumulate ? C : 0) + Σₚ A[·, p]·B[p] where A(r, p) = a[r·aRow + p·aStep] (a packed panel:
    /// aRow = 1, aStep = 6; rows of A read in place: aRow = their distance, aStep = 1; a transposed A's columns read in
    /// place: aRow = 1, aStep = their distance) and <paramref name="b"/> holds kc rows of 2L values, <paramref name="ldb"/>
    /// apart. C rows are <paramref name="ldc"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Tile<TOps, TV, T>(int kc, T* a, nint aRow, nint aStep, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged
    {
        int lanes = TOps.Lanes;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        TV c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;
        // Rows 0–2 from a, rows 3–5 from a3, each at 0, aRow and 2·aRow: base + index addressing, no per-step arithmetic.
        T* a3 = a + 3 * aRow;
        nint aRow2 = 2 * aRow;
        for (int p = 0; p < kc; p++)
        {
            TV b0 = TOps.Load(b), b1 = TOps.Load(b + lanes);
            TV x = TOps.Splat(a[0]); c00 = TOps.Fma(x, b0, c00); c01 = TOps.Fma(x, b1, c01);
            x = TOps.Splat(a[aRow]); c10 = TOps.Fma(x, b0, c10); c11 = TOps.Fma(x, b1, c11);
            x = TOps.Splat(a[aRow2]); c20 = TOps.Fma(x, b0, c20); c21 = TOps.Fma(x, b1, c21);
            x = TOps.Splat(a3[0]); c30 = TOps.Fma(x, b0, c30); c31 = TOps.Fma(x, b1, c31);
            x = TOps.Splat(a3[aRow]); c40 = TOps.Fma(x, b0, c40); c41 = TOps.Fma(x, b1, c41);
            x = TOps.Splat(a3[aRow2]); c50 = TOps.Fma(x, b0, c50); c51 = TOps.Fma(x, b1, c51);
            a += aStep;
            a3 += aStep;
            b += ldb;
        }
        StoreRow<TOps, TV, T>(c, lanes, c00, c01, accumulate);
        StoreRow<TOps, TV, T>(c + ldc, lanes, c10, c11, accumulate);
        StoreRow<TOps, TV, T>(c + 2 * ldc, lanes, c20, c21, accumulate);
        StoreRow<TOps, TV, T>(c + 3 * ldc, lanes, c30, c31, accumulate);
        StoreRow<TOps, TV, T>(c + 4 * ldc, lanes, c40, c41, accumulate);
        StoreRow<TOps, TV, T>(c + 5 * ldc, lanes, c50, c51, accumulate);
    }

    /// <summary>
    /// <see cref="Tile{TOps, TV, T}"/> for the top 3 rows only: a ragged last row tile of at most 3 rows (the 32-row
    /// products of a batch of 32) then costs half a full tile instead of a whole one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Tile3<TOps, TV, T>(int kc, T* a, nint aRow, nint aStep, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged
    {
        int lanes = TOps.Lanes;
        TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
        nint aRow2 = 2 * aRow;
        for (int p = 0; p < kc; p++)
        {
            TV b0 = TOps.Load(b), b1 = TOps.Load(b + lanes);
            TV x = TOps.Splat(a[0]); c00 = TOps.Fma(x, b0, c00); c01 = TOps.Fma(x, b1, c01);
            x = TOps.Splat(a[aRow]); c10 = TOps.Fma(x, b0, c10); c11 = TOps.Fma(x, b1, c11);
            x = TOps.Splat(a[aRow2]); c20 = TOps.Fma(x, b0, c20); c21 = TOps.Fma(x, b1, c21);
            a += aStep;
            b += ldb;
        }
        StoreRow<TOps, TV, T>(c, lanes, c00, c01, accumulate);
        StoreRow<TOps, TV, T>(c + ldc, lanes, c10, c11, accumulate);
        StoreRow<TOps, TV, T>(c + 2 * ldc, lanes, c20, c21, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<TOps, TV, T>(T* c, int lanes, TV v0, TV v1, bool accumulate)
        where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged
    {
        if (accumulate)
        {
            v0 = TOps.Add(TOps.Load(c), v0);
            v1 = TOps.Add(TOps.Load(c + lanes), v1);
        }
        TOps.Store(v0, c);
        TOps.Store(v1, c + lanes);
    }
}
