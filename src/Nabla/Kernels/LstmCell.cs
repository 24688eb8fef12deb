using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// One LSTM step's elementwise math over a batch, and its reverse. The step's values are kept as seven blocks of
/// [rows, H], one after another: h', c', i, f, g, o, tanh(c'); the pre-activations z are [rows, 4H] with gates in the
/// order i, f, g, o.
/// </summary>
internal static class LstmCell
{
    /// <summary>The blocks of a step's values, in their order.</summary>
    public const int HBlock = 0, CBlock = 1, IBlock = 2, FBlock = 3, GBlock = 4, OBlock = 5, TanhCBlock = 6, Blocks = 7;

    /// <summary>
    /// i, f, o = σ(z's gates), g = tanh(z's gate), c' = f⊙c + i⊙g, h' = o⊙tanh(c'), written as the seven blocks of
    /// <paramref name="cell"/> from z = <paramref name="xz"/> + <paramref name="hz"/> [rows, 4H] and <paramref name="c"/> [rows, H].
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> xz, ReadOnlySpan<T> hz, ReadOnlySpan<T> c, Span<T> cell, int rows, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && LstmCellVector512.Serves(h))
        {
            LstmCellVector512.Forward(MemoryMarshal.Cast<T, float>(xz), MemoryMarshal.Cast<T, float>(hz), MemoryMarshal.Cast<T, float>(c), MemoryMarshal.Cast<T, float>(cell), rows, h);
            return;
        }
        int block = rows * h;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < 4; k++)
            {
                var gate = cell.Slice((IBlock + k) * block + r * h, h);
                int at = r * 4 * h + k * h;
                TensorPrimitives.Add(xz.Slice(at, h), hz.Slice(at, h), gate);
                if (k == 2) FastTanh.Apply<T>(gate, gate);
                else TensorPrimitives.Sigmoid<T>(gate, gate);
            }
        }
        var i = cell.Slice(IBlock * block, block);
        var f = cell.Slice(FBlock * block, block);
        var g = cell.Slice(GBlock * block, block);
        var o = cell.Slice(OBlock * block, block);
        var cNext = cell.Slice(CBlock * block, block);
        var tanhC = cell.Slice(TanhCBlock * block, block);
        TensorPrimitives.Multiply<T>(i, g, cNext);
        TensorPrimitives.FusedMultiplyAdd<T>(f, c[..block], cNext, cNext);
        FastTanh.Apply<T>(cNext, tanhC);
        TensorPrimitives.Multiply<T>(o, tanhC, cell[..block]);
    }

    /// <summary>
    /// The pre-activations' cotangent dz [rows, 4H] from the cotangents <paramref name="dh"/> of h' and
    /// <paramref name="dc"/> of c' (each [rows, H]), the step's blocks <paramref name="cell"/> and the cell state
    /// <paramref name="cPrev"/> it started from: with d = dc + dh⊙o⊙(1 − tanh²c'),
    /// dz = [d⊙g⊙i(1−i), d⊙c⊙f(1−f), d⊙i⊙(1−g²), dh⊙tanh(c')⊙o(1−o)].
    /// </summary>
    public static void GatesBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, ReadOnlySpan<T> cell, ReadOnlySpan<T> cPrev, Span<T> dz, int rows, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = rows * h;
        var i = cell.Slice(IBlock * block, block);
        var f = cell.Slice(FBlock * block, block);
        var g = cell.Slice(GBlock * block, block);
        var o = cell.Slice(OBlock * block, block);
        var t = cell.Slice(TanhCBlock * block, block);
        int width = Vector.IsHardwareAccelerated ? Vector<T>.Count : int.MaxValue;
        var one = Vector<T>.One;
        for (int r = 0; r < rows; r++)
        {
            var row = dz.Slice(r * 4 * h, 4 * h);
            int j = 0, at = r * h;
            for (; j + width <= h; j += width)
            {
                int k = at + j;
                var vdh = new Vector<T>(dh[k..]);
                var vi = new Vector<T>(i[k..]);
                var vf = new Vector<T>(f[k..]);
                var vg = new Vector<T>(g[k..]);
                var vo = new Vector<T>(o[k..]);
                var vt = new Vector<T>(t[k..]);
                var d = new Vector<T>(dc[k..]) + vdh * vo * (one - vt * vt);
                (d * vg * vi * (one - vi)).CopyTo(row[j..]);
                (d * new Vector<T>(cPrev[k..]) * vf * (one - vf)).CopyTo(row[(h + j)..]);
                (d * vi * (one - vg * vg)).CopyTo(row[(2 * h + j)..]);
                (vdh * vt * vo * (one - vo)).CopyTo(row[(3 * h + j)..]);
            }
            for (; j < h; j++)
            {
                int k = at + j;
                T ii = i[k], ff = f[k], gg = g[k], oo = o[k], tt = t[k];
                var d = dc[k] + dh[k] * oo * (T.One - tt * tt);
                row[j] = d * gg * ii * (T.One - ii);
                row[h + j] = d * cPrev[k] * ff * (T.One - ff);
                row[2 * h + j] = d * ii * (T.One - gg * gg);
                row[3 * h + j] = dh[k] * tt * oo * (T.One - oo);
            }
        }
    }

    /// <summary>
    /// The cotangent of the cell state the step started from, (dc + dh⊙o⊙(1 − tanh²c'))⊙f, each [rows·H], from the
    /// cotangents <paramref name="dh"/> of h' and <paramref name="dc"/> of c' and the step's blocks <paramref name="cell"/>.
    /// </summary>
    public static void CellStateBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> dc, ReadOnlySpan<T> cell, Span<T> dcPrev, int block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = cell.Slice(FBlock * block, block);
        var o = cell.Slice(OBlock * block, block);
        var t = cell.Slice(TanhCBlock * block, block);
        int width = Vector.IsHardwareAccelerated ? Vector<T>.Count : int.MaxValue;
        var one = Vector<T>.One;
        int k = 0;
        for (; k + width <= block; k += width)
        {
            var vt = new Vector<T>(t[k..]);
            ((new Vector<T>(dc[k..]) + new Vector<T>(dh[k..]) * new Vector<T>(o[k..]) * (one - vt * vt)) * new Vector<T>(f[k..])).CopyTo(dcPrev[k..]);
        }
        for (; k < block; k++)
            dcPrev[k] = (dc[k] + dh[k] * o[k] * (T.One - t[k] * t[k])) * f[k];
    }
}
