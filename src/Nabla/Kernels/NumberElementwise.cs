using System.Numerics;

namespace Nabla.Kernels;

/// <summary>A binary function over any number type (the integer forms of arithmetic).</summary>
internal interface INumberBinary
{
    static abstract T Invoke<T>(T x, T y) where T : unmanaged, INumber<T>;
}

/// <summary>A comparison over any number type; NaN compares false except for NotEqual (IEEE).</summary>
internal interface INumberPredicate
{
    static abstract bool Holds<T>(T x, T y) where T : unmanaged, INumber<T>;
}

internal readonly struct AddNumbers : INumberBinary { public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x + y; }
internal readonly struct SubtractNumbers : INumberBinary { public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x - y; }
internal readonly struct MultiplyNumbers : INumberBinary { public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => x * y; }
internal readonly struct MaximumNumbers : INumberBinary { public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => T.Max(x, y); }
internal readonly struct MinimumNumbers : INumberBinary { public static T Invoke<T>(T x, T y) where T : unmanaged, INumber<T> => T.Min(x, y); }

internal readonly struct GreaterPredicate : INumberPredicate { public static bool Holds<T>(T x, T y) where T : unmanaged, INumber<T> => x > y; }
internal readonly struct GreaterEqualPredicate : INumberPredicate { public static bool Holds<T>(T x, T y) where T : unmanaged, INumber<T> => x >= y; }
internal readonly struct LessPredicate : INumberPredicate { public static bool Holds<T>(T x, T y) where T : unmanaged, INumber<T> => x < y; }
internal readonly struct LessEqualPredicate : INumberPredicate { public static bool Holds<T>(T x, T y) where T : unmanaged, INumber<T> => x <= y; }
internal readonly struct EqualPredicate : INumberPredicate { public static bool Holds<T>(T x, T y) where T : unmanaged, INumber<T> => x == y; }
internal readonly struct NotEqualPredicate : INumberPredicate { public static bool Holds<T>(T x, T y) where T : unmanaged, INumber<T> => x != y; }

/// <summary>Broadcasting drivers for the scalar functions above: integer arithmetic, and comparisons giving bool.</summary>
internal static class NumberElementwise
{
    /// <summary>z = op(x, y) with x, y broadcast to zShape.</summary>
    public static void Binary<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<T> y, ReadOnlySpan<int> yShape,
        Span<T> z, ReadOnlySpan<int> zShape) where T : unmanaged, INumber<T> where TOp : INumberBinary =>
        Broadcast<T, T, Arithmetic<T, TOp>>(x, xShape, y, yShape, z, zShape);

    /// <summary>z = predicate(x, y) with x, y broadcast to zShape.</summary>
    public static void Compare<T, TPredicate>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<T> y, ReadOnlySpan<int> yShape,
        Span<bool> z, ReadOnlySpan<int> zShape) where T : unmanaged, INumber<T> where TPredicate : INumberPredicate =>
        Broadcast<T, bool, Comparison<T, TPredicate>>(x, xShape, y, yShape, z, zShape);

    private interface IBroadcastFunction<T, TOut> { static abstract TOut Apply(T x, T y); }
    private readonly struct Arithmetic<T, TOp> : IBroadcastFunction<T, T> where T : unmanaged, INumber<T> where TOp : INumberBinary
    { public static T Apply(T x, T y) => TOp.Invoke(x, y); }
    private readonly struct Comparison<T, TPredicate> : IBroadcastFunction<T, bool> where T : unmanaged, INumber<T> where TPredicate : INumberPredicate
    { public static bool Apply(T x, T y) => TPredicate.Holds(x, y); }

    private static void Broadcast<T, TOut, TFunction>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<T> y, ReadOnlySpan<int> yShape,
        Span<TOut> z, ReadOnlySpan<int> zShape) where TFunction : IBroadcastFunction<T, TOut>
    {
        int rank = Math.Max(zShape.Length, 1);
        Span<int> dims = stackalloc int[rank], xs = stackalloc int[rank], ys = stackalloc int[rank], idx = stackalloc int[rank];
        var rows = Rows(xShape, yShape, zShape, dims, xs, ys, idx);
        while (rows.Next())
            for (int k = 0, a = rows.OffsetA, b = rows.OffsetB, o = rows.OffsetOut; k < rows.Inner; k++, a += rows.InnerA, b += rows.InnerB)
                z[o + k] = TFunction.Apply(x[a], y[b]);
    }

    /// <summary>z = −x.</summary>
    public static void Negate<T>(ReadOnlySpan<T> x, Span<T> z) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < x.Length; i++) z[i] = -x[i];
    }

    private static StridedRows Rows(ReadOnlySpan<int> xShape, ReadOnlySpan<int> yShape, ReadOnlySpan<int> zShape,
        Span<int> dims, Span<int> xs, Span<int> ys, Span<int> idx)
    {
        dims.Fill(1);
        xs.Clear();
        ys.Clear();
        zShape.CopyTo(dims);
        StridedRows.BroadcastStrides(xShape, zShape, xs[..zShape.Length]);
        StridedRows.BroadcastStrides(yShape, zShape, ys[..zShape.Length]);
        return new StridedRows(dims[..Math.Max(zShape.Length, 1)], xs, ys, idx);
    }
}
