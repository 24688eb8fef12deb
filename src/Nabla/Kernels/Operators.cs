using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>A unary elementwise kernel over spans of float or double.</summary>
internal interface IUnaryKernel
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A binary elementwise kernel; the scalar forms serve broadcast rows.</summary>
internal interface IBinaryKernel
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>;
    static abstract void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A binary kernel written as one scalar function; the span forms loop over it.</summary>
internal interface IScalarBinary
{
    static abstract T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Whether <see cref="Invoke{T}(Vector256{T}, Vector256{T})"/> computes the same function lane by lane.</summary>
    static virtual bool IsVectorized => false;

    /// <summary>The function on eight (float) or four (double) lanes at once.</summary>
    static virtual Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException("This scalar function has no vector form.");
}

/// <summary>A comparison giving 1 where it holds and 0 elsewhere (NaN compares false, except for NotEqual).</summary>
internal interface IComparison : IScalarBinary
{
    static bool IScalarBinary.IsVectorized => true;
}

/// <summary>Adapts a scalar binary function to <see cref="IBinaryKernel"/>.</summary>
internal readonly struct ScalarLoop<TOp> : IBinaryKernel where TOp : IScalarBinary
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (TOp.IsVectorized && Vector256.IsHardwareAccelerated)
            for (; i <= z.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                TOp.Invoke(Vector256.Create(x.Slice(i, Vector256<T>.Count)), Vector256.Create(y.Slice(i, Vector256<T>.Count))).CopyTo(z[i..]);
        for (; i < z.Length; i++) z[i] = TOp.Invoke(x[i], y[i]);
    }

    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (TOp.IsVectorized && Vector256.IsHardwareAccelerated)
        {
            var vy = Vector256.Create(y);
            for (; i <= z.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                TOp.Invoke(Vector256.Create(x.Slice(i, Vector256<T>.Count)), vy).CopyTo(z[i..]);
        }
        for (; i < z.Length; i++) z[i] = TOp.Invoke(x[i], y);
    }

    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (TOp.IsVectorized && Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            for (; i <= z.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                TOp.Invoke(vx, Vector256.Create(y.Slice(i, Vector256<T>.Count))).CopyTo(z[i..]);
        }
        for (; i < z.Length; i++) z[i] = TOp.Invoke(x, y[i]);
    }
}

internal readonly struct AddKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, z);
}

internal readonly struct SubtractKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, z);
}

internal readonly struct MultiplyKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, z);
}

internal readonly struct DivideKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, z);
}

internal readonly struct PowKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, z);
}

internal readonly struct MaximumKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, z);
}

internal readonly struct MinimumKernel : IBinaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, z);
    public static void Apply<T>(ReadOnlySpan<T> x, T y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, z);
    public static void Apply<T>(T x, ReadOnlySpan<T> y, Span<T> z) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, z);
}

internal readonly struct GreaterScalar : IComparison
{
    public static T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x > y ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.GreaterThan(x, y)) & Vector256<T>.One;
}
internal readonly struct GreaterEqualScalar : IComparison
{
    public static T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x >= y ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.GreaterThanOrEqual(x, y)) & Vector256<T>.One;
}
internal readonly struct LessScalar : IComparison
{
    public static T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x < y ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.LessThan(x, y)) & Vector256<T>.One;
}
internal readonly struct LessEqualScalar : IComparison
{
    public static T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x <= y ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.LessThanOrEqual(x, y)) & Vector256<T>.One;
}
internal readonly struct EqualScalar : IComparison
{
    public static T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x == y ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (Vector256.Equals(x, y)) & Vector256<T>.One;
}
internal readonly struct NotEqualScalar : IComparison
{
    public static T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x != y ? T.One : T.Zero;
    public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> => (~Vector256.Equals(x, y)) & Vector256<T>.One;
}

internal readonly struct ExpKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y); }
internal readonly struct LogKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y); }
internal readonly struct SinKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y); }
internal readonly struct CosKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y); }
internal readonly struct TanhKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => FastTanh.Apply(x, y); }
internal readonly struct SigmoidKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y); }
internal readonly struct SqrtKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y); }
internal readonly struct AbsKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y); }
internal readonly struct NegateKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y); }
internal readonly struct SquareKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, x, y); }
internal readonly struct ReluKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y); }
internal readonly struct IdentityKernel : IUnaryKernel { public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => x.CopyTo(y); }

internal readonly struct SignKernel : IUnaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    { for (int i = 0; i < x.Length; i++) y[i] = T.IsNaN(x[i]) ? x[i] : x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero; }
}

/// <summary>Binary cross-entropy on a logit x with target t: max(x, 0) − x·t + log(1 + e^−|x|).</summary>
internal readonly struct SigmoidCrossEntropyScalar : IScalarBinary
{
    public static T Invoke<T>(T x, T t) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.Max(x, T.Zero) - x * t + T.LogP1(T.Exp(-T.Abs(x)));
}
