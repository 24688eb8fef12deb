using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla;

/// <summary>
/// A dense, row-major n-dimensional array of float32, float64, int32, int64 or bool. Tensors handed to users own their
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

    /// <summary>float[], double[], int[], long[] or bool[]; may be longer than Size when it comes from a pool.</summary>
    internal Array Buffer { get; }

    internal static Array Allocate(DType dtype, int size) => dtype switch
    {
        DType.Float32 => new float[size],
        DType.Float64 => new double[size],
        DType.Int32 => new int[size],
        DType.Int64 => new long[size],
        DType.Bool => new bool[size],
        _ => throw new DTypeMismatchException($"Unknown dtype code {(int)dtype}."),
    };

    /// <summary>An uninitialized array for <paramref name="size"/> elements of <paramref name="dtype"/> (every element is written before it is read).</summary>
    internal static Array AllocateUninitialized(DType dtype, int size) => dtype switch
    {
        DType.Float32 => GC.AllocateUninitializedArray<float>(size),
        DType.Float64 => GC.AllocateUninitializedArray<double>(size),
        DType.Int32 => GC.AllocateUninitializedArray<int>(size),
        DType.Int64 => GC.AllocateUninitializedArray<long>(size),
        _ => Allocate(dtype, size),
    };

    /// <summary>The elements as a span of the tensor's own element type.</summary>
    internal Span<T> Span<T>()
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new DTypeMismatchException($"Tensor of dtype {DType.Name()} accessed as {typeof(T).Name}; its elements are {DType.ElementType().Name}.");
        return Unsafe.As<T[]>(Buffer).AsSpan(0, Size);
    }

    /// <summary>
    /// The elements in row-major order, without copying: T must be the dtype's element type (float, double, int, long, bool).
    /// Writes go straight into the tensor. For kernels of user-defined ops and for zero-copy interchange.
    /// </summary>
    public Span<T> AsSpan<T>() => Span<T>();

    /// <summary>The raw little-endian bytes of the elements (bool as one byte, 0 or 1), without copying.</summary>
    public ReadOnlySpan<byte> AsBytes() =>
        MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(Buffer), Size * DType.ByteSize());

    internal float[] F32 => (float[])Buffer;
    internal double[] F64 => (double[])Buffer;

    /// <summary>Element i (row-major flat index) as a double, whatever the dtype (bool as 1 or 0; int64 beyond 2^53 rounds).</summary>
    public double GetFlat(int i) => DType switch
    {
        DType.Float32 => F32[i],
        DType.Float64 => F64[i],
        DType.Int32 => ((int[])Buffer)[i],
        DType.Int64 => ((long[])Buffer)[i],
        _ => ((bool[])Buffer)[i] ? 1 : 0,
    };

    /// <summary>Writes element i from a double: integers truncate toward zero and saturate (NaN gives 0), bool is v ≠ 0.</summary>
    internal void SetFlat(int i, double v)
    {
        switch (DType)
        {
            case DType.Float32: F32[i] = (float)v; break;
            case DType.Float64: F64[i] = v; break;
            case DType.Int32: ((int[])Buffer)[i] = int.CreateSaturating(v); break;
            case DType.Int64: ((long[])Buffer)[i] = long.CreateSaturating(v); break;
            default: ((bool[])Buffer)[i] = v != 0; break;
        }
    }

    /// <summary>Reads or writes one element by its indices (negative indices count from the end), converted through double.</summary>
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

    /// <summary>A copy of the elements converted to T (float, double, int, long or bool), as <see cref="Cast(DType)"/> converts.</summary>
    public T[] ToArray<T>()
    {
        var target = DTypeExtensions.Of<T>();
        var source = target == DType ? this : Cast(target);
        var result = new T[Size];
        source.Span<T>().CopyTo(result);
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
