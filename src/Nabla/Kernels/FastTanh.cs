using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// y = tanh(x) elementwise. float32 on Vector256 uses single-precision rational forms (Cephes tanhf: an odd
/// polynomial below |x| = 0.625, 1 − 2/(e^{2|x|}+1) above, with its own exp), within a few ulp and about three
/// times faster than the library routine, which evaluates in double; other cases use TensorPrimitives.
/// tanh(±∞) = ±1, NaN stays NaN, the sign of zero is kept.
/// </summary>
internal static class FastTanh
{
    /// <summary>Writes tanh(x[i]) into y[i] for every i.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Vector256.IsHardwareAccelerated)
        {
            TensorPrimitives.Tanh(x, y);
            return;
        }
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(y));
        var xs = MemoryMarshal.Cast<T, float>(x);
        var ys = MemoryMarshal.Cast<T, float>(y);
        int n = xs.Length, count = Vector256<float>.Count;
        if (n < count)
        {
            // Short rows go through the same vector code, so every length gives the same values.
            Span<float> row = stackalloc float[count];
            row.Clear();
            xs.CopyTo(row);
            Tanh(Vector256.Create<float>(row)).CopyTo(row);
            row[..n].CopyTo(ys);
            return;
        }
        ref float px = ref MemoryMarshal.GetReference(xs);
        ref float py = ref MemoryMarshal.GetReference(ys);
        int last = n - count;
        // The last vector may overlap the one before; it is loaded first so that y may be x.
        var tail = Vector256.LoadUnsafe(ref px, (nuint)last);
        for (int i = 0; i < last; i += count)
            Tanh(Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        Tanh(tail).StoreUnsafe(ref py, (nuint)last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Tanh(Vector256<float> x)
    {
        var sign = Vector256.Create(-0.0f);
        var a = Vector256.AndNot(x, sign);
        // Large |x|: 1 − 2/(e^{2|x|} + 1); beyond 9 the result is 1 in float, so clamp keeps exp finite (∞ included).
        var e = Exp(Vector256.Min(a, Vector256.Create(9f)) * 2f);
        var large = Vector256<float>.One - Vector256.Create(2f) / (e + Vector256<float>.One);
        // Small |x|: x + x³·P(x²).
        var z = a * a;
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(-5.70498872745e-3f), z, Vector256.Create(2.06390887954e-2f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(-5.37397155531e-2f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1.33314422036e-1f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(-3.33332819422e-1f));
        var small = Vector256.FusedMultiplyAdd(p * z, a, a);
        var magnitude = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(0.625f)), small, large);
        var result = magnitude | (x & sign);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>e^t for 0 ≤ t ≤ 18: t = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial in r, scaled by 2ⁿ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> t)
    {
        var n = Vector256.Round(t * 1.44269504088896341f);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), t);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(1.9875691500e-4f), r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        var y = Vector256.FusedMultiplyAdd(p * r, r, r) + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return y * scale.AsSingle();
    }

    // The same forms on Vector512, for kernels that compute tanh and σ in registers (LstmCellVector512).

    /// <summary>tanh(x): x + x³·P(x²) below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above (|x| clamped at 9, where it is 1 in float); sign and NaN kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Tanh(Vector512<float> x)
    {
        var sign = Vector512.Create(-0.0f);
        var a = Vector512.AndNot(x, sign);
        var e = Exp(Vector512.Min(a, Vector512.Create(9f)) * 2f);
        var large = Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One);
        var z = a * a;
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(-5.70498872745e-3f), z, Vector512.Create(2.06390887954e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-5.37397155531e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.33314422036e-1f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-3.33332819422e-1f));
        var small = Vector512.FusedMultiplyAdd(p * z, a, a);
        var magnitude = Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(0.625f)), small, large);
        var result = magnitude | (x & sign);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    /// <summary>e^t for 0 ≤ t ≤ 87: t = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial in r, scaled by 2ⁿ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Exp(Vector512<float> t)
    {
        var n = Vector512.Round(t * 1.44269504088896341f);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), t);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var y = Vector512.FusedMultiplyAdd(p * r, r, r) + Vector512<float>.One;
        var scale = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return y * scale.AsSingle();
    }
}
