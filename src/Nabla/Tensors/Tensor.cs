using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// A dense, row-major n-dimensional array of float32 or float64. Tensors handed to users own their
/// storage; inside a session, tensors may view a larger pooled buffer (only the first Size elements count).
/// </summary>
public sealed partial class Tensor
{
    internal Tensor(Shape shape, DType dtype, Array buffer)
    {
        if (!shape.IsFullyKnown)
            throw new ShapeMismatchException($"A tensor needs a fully known shape, got {shape}.");
        Shape = shape;
        DType = dtype;
        Buffer = buffer;
        Size = shape.Size;
    }

    internal Tensor(Shape shape, DType dtype) : this(shape, dtype, Allocate(dtype, shape.Size)) { }

    /// <summary>The dimensions (always fully known for a tensor).</summary>
    public Shape Shape { get; }
    /// <summary>The element type.</summary>
    public DType DType { get; }
    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => Shape.Rank;

    /// <summary>Number of elements.</summary>
    public int Size { get; }

    /// <summary>float[] or double[]; may be longer than Size when it comes from a pool.</summary>
    internal Array Buffer { get; }

    internal static Array Allocate(DType dtype, int size) =>
        dtype == DType.Float32 ? new float[size] : new double[size];

    /// <summary>The elements as a span of the tensor's own element type.</summary>
    internal Span<T> Span<T>()
    {
        if (typeof(T) == typeof(float) && DType == DType.Float32)
            return Unsafe.As<T[]>(Buffer).AsSpan(0, Size);
        if (typeof(T) == typeof(double) && DType == DType.Float64)
            return Unsafe.As<T[]>(Buffer).AsSpan(0, Size);
        throw new DTypeMismatchException($"Tensor of dtype {DType.Name()} accessed as {typeof(T).Name}.");
    }

    internal float[] F32 => (float[])Buffer;
    internal double[] F64 => (double[])Buffer;

    /// <summary>Element i (row-major flat index) as a double, whatever the dtype.</summary>
    public double GetFlat(int i) => DType == DType.Float32 ? F32[i] : F64[i];

    internal void SetFlat(int i, double v)
    {
        if (DType == DType.Float32) F32[i] = (float)v; else F64[i] = v;
    }

    /// <summary>Reads or writes one element by its indices (negative indices count from the end).</summary>
    public double this[params int[] index]
    {
        get => GetFlat(FlatIndex(index));
        set => SetFlat(FlatIndex(index), value);
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new InvalidGraphArgumentException($"Index [{string.Join(", ", index)}] has {index.Length} components but the tensor has rank {Rank} (shape {Shape}).");
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int d = Shape[i], k = index[i] < 0 ? index[i] + d : index[i];
            if ((uint)k >= (uint)d)
                throw new InvalidGraphArgumentException($"Index {index[i]} is out of range for axis {i} of size {d} (shape {Shape}).");
            flat = flat * d + k;
        }
        return flat;
    }

    /// <summary>A copy of the elements converted to T (float or double).</summary>
    public T[] ToArray<T>()
    {
        var result = new T[Size];
        if (typeof(T) == typeof(float))
        {
            var dst = Unsafe.As<float[]>(result);
            if (DType == DType.Float32) F32.AsSpan(0, Size).CopyTo(dst);
            else for (int i = 0; i < Size; i++) dst[i] = (float)F64[i];
        }
        else if (typeof(T) == typeof(double))
        {
            var dst = Unsafe.As<double[]>(result);
            if (DType == DType.Float64) F64.AsSpan(0, Size).CopyTo(dst);
            else for (int i = 0; i < Size; i++) dst[i] = F32[i];
        }
        else throw new DTypeMismatchException($"ToArray<{typeof(T).Name}>: only float and double are supported.");
        return result;
    }

    /// <summary>The single element of a tensor with one element, converted to T.</summary>
    public T Scalar<T>()
    {
        if (Size != 1)
            throw new ShapeMismatchException($"Scalar<{typeof(T).Name}>() needs a tensor with one element, but the shape is {Shape} ({Size} elements).");
        return ToArray<T>()[0];
    }

    /// <summary>A deep copy with its own storage of exactly Size elements.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(Shape, DType);
        Array.Copy(Buffer, copy.Buffer, Size);
        return copy;
    }

    /// <summary>Copies this tensor's elements into <paramref name="destination"/>, which must have the same dtype and size.</summary>
    internal void CopyTo(Tensor destination) => Array.Copy(Buffer, destination.Buffer, Size);

    /// <summary>A float32 scalar, so that feeds can be written <c>[a] = 3f</c>.</summary>
    public static implicit operator Tensor(float value) => Scalar(value, DType.Float32);
    /// <summary>A float64 scalar, so that feeds can be written <c>[a] = 3.0</c>.</summary>
    public static implicit operator Tensor(double value) => Scalar(value, DType.Float64);
}
