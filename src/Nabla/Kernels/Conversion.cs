using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>Element conversions between dtypes, as TensorFlow's cast.</summary>
internal static class Conversion
{
    /// <summary>
    /// y = x converted: floats to integers truncate toward zero and saturate (NaN gives 0); int64 to int32 keeps the low
    /// 32 bits (as TensorFlow and NumPy); same type copies.
    /// </summary>
    public static void Numbers<TFrom, TTo>(ReadOnlySpan<TFrom> x, Span<TTo> y)
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        if (typeof(TFrom) == typeof(TTo)) { x.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<TTo, TFrom>(y)); return; }
        if (typeof(TFrom) == typeof(long) && typeof(TTo) == typeof(int)) TensorPrimitives.ConvertTruncating(x, y);
        else TensorPrimitives.ConvertSaturating(x, y);
    }

    /// <summary>y = x ≠ 0 (NaN is nonzero, so true).</summary>
    public static void ToBool<T>(ReadOnlySpan<T> x, Span<bool> y) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] != T.Zero;
    }

    /// <summary>y = 1 where x, else 0.</summary>
    public static void FromBool<T>(ReadOnlySpan<bool> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] ? T.One : T.Zero;
    }
}
