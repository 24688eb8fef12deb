using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// <see cref="LstmCell.Forward{T}"/> for float32 on Vector512 (rows of whole vectors): each unit's four gates, c',
/// tanh(c') and h' computed in registers and each stored once. σ and tanh use the single-precision forms of
/// <see cref="FastTanh"/> on Vector512 (Cephes tanhf and its exp), within a few ulp.
/// </summary>
internal static class LstmCellVector512
{
    /// <summary>Whether <see cref="Forward"/> serves rows of <paramref name="h"/> units.</summary>
    public static bool Serves(int h) => Vector512.IsHardwareAccelerated && h % Vector512<float>.Count == 0;

    public static void Forward(ReadOnlySpan<float> xz, ReadOnlySpan<float> hz, ReadOnlySpan<float> c, Span<float> cell, int rows, int h)
    {
        int block = rows * h, width = Vector512<float>.Count;
        if (xz.Length < rows * 4 * h || hz.Length < rows * 4 * h || c.Length < block || cell.Length < LstmCell.Blocks * block)
            throw new ArgumentException("LstmCell: a span is shorter than its [rows, units] layout.");
        ref float x0 = ref MemoryMarshal.GetReference(xz);
        ref float h0 = ref MemoryMarshal.GetReference(hz);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        ref float y0 = ref MemoryMarshal.GetReference(cell);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < h; j += width)
            {
                nuint z = (nuint)(r * 4 * h + j), at = (nuint)(r * h + j), gate = (nuint)h;
                var i = Sigmoid(Vector512.LoadUnsafe(ref x0, z) + Vector512.LoadUnsafe(ref h0, z));
                var f = Sigmoid(Vector512.LoadUnsafe(ref x0, z + gate) + Vector512.LoadUnsafe(ref h0, z + gate));
                var g = FastTanh.Tanh(Vector512.LoadUnsafe(ref x0, z + 2 * gate) + Vector512.LoadUnsafe(ref h0, z + 2 * gate));
                var o = Sigmoid(Vector512.LoadUnsafe(ref x0, z + 3 * gate) + Vector512.LoadUnsafe(ref h0, z + 3 * gate));
                var cNext = Vector512.FusedMultiplyAdd(f, Vector512.LoadUnsafe(ref c0, at), i * g);
                var tanhC = FastTanh.Tanh(cNext);
                (o * tanhC).StoreUnsafe(ref y0, at + (nuint)(LstmCell.HBlock * block));
                cNext.StoreUnsafe(ref y0, at + (nuint)(LstmCell.CBlock * block));
                i.StoreUnsafe(ref y0, at + (nuint)(LstmCell.IBlock * block));
                f.StoreUnsafe(ref y0, at + (nuint)(LstmCell.FBlock * block));
                g.StoreUnsafe(ref y0, at + (nuint)(LstmCell.GBlock * block));
                o.StoreUnsafe(ref y0, at + (nuint)(LstmCell.OBlock * block));
                tanhC.StoreUnsafe(ref y0, at + (nuint)(LstmCell.TanhCBlock * block));
            }
    }

    /// <summary>
    /// σ(x) = 1/(1 + e^−x): e = e^{min(|x|, 87)}, then e/(1 + e) for x ≥ 0 and 1/(1 + e) below; 0 below −87 (where σ
    /// leaves float's normal range), so σ(−∞) = 0; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> x)
    {
        var e = FastTanh.Exp(Vector512.Min(Vector512.Abs(x), Vector512.Create(87f)));
        var result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), e, Vector512<float>.One) / (e + Vector512<float>.One);
        result = Vector512.AndNot(result, Vector512.LessThan(x, Vector512.Create(-87f)));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
