using System.Runtime.InteropServices;

namespace Nabla;

public sealed partial class Tensor
{
    /// <summary>A float32 tensor over a copy of <paramref name="data"/>; no dims gives a 1-D tensor of the data's length.</summary>
    public static Tensor FromArray(float[] data, params int[] dims) => FromArray(data, dims, DType.Float32);

    /// <summary>A float64 tensor over a copy of <paramref name="data"/>; no dims gives a 1-D tensor of the data's length.</summary>
    public static Tensor FromArray(double[] data, params int[] dims) => FromArray(data, dims, DType.Float64);

    /// <summary>An int32 tensor over a copy of <paramref name="data"/>; no dims gives a 1-D tensor of the data's length.</summary>
    public static Tensor FromArray(int[] data, params int[] dims) => FromArray(data, dims, DType.Int32);

    /// <summary>An int64 tensor over a copy of <paramref name="data"/>; no dims gives a 1-D tensor of the data's length.</summary>
    public static Tensor FromArray(long[] data, params int[] dims) => FromArray(data, dims, DType.Int64);

    /// <summary>A bool tensor over a copy of <paramref name="data"/>; no dims gives a 1-D tensor of the data's length.</summary>
    public static Tensor FromArray(bool[] data, params int[] dims) => FromArray(data, dims, DType.Bool);

    /// <summary>
    /// A tensor of <paramref name="dtype"/> and <paramref name="shape"/> from raw little-endian bytes (as <see cref="AsBytes"/> gives).
    /// Bool bytes must be 0 or 1.
    /// </summary>
    public static Tensor FromBytes(ReadOnlySpan<byte> bytes, Shape shape, DType dtype)
    {
        if (!dtype.IsDefined()) throw new DTypeMismatchException($"FromBytes: unknown dtype code {(int)dtype}.");
        long expected = (long)shape.Size * dtype.ByteSize();
        if (!shape.IsFullyKnown || bytes.Length != expected)
            throw new ShapeMismatchException($"FromBytes: {bytes.Length} bytes do not fill a {dtype.Name()} tensor of shape {shape} ({expected} bytes).");
        if (dtype == DType.Bool && bytes.IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
            throw new InvalidGraphArgumentException($"FromBytes: byte {bad} of a bool tensor is {bytes[bad]}; bool elements must be 0 or 1.");
        var t = new Tensor(shape, dtype);
        bytes.CopyTo(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(t.Buffer), bytes.Length));
        return t;
    }

    private static Tensor FromArray(Array data, int[]? dims, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(data);
        var shape = dims is null || dims.Length == 0 ? new Shape(data.Length) : new Shape(dims);
        if (!shape.IsFullyKnown || shape.Size != data.Length)
            throw new ShapeMismatchException($"FromArray: {data.Length} elements do not fill shape {shape} ({shape.Size} elements). Pass dims whose product is {data.Length}.");
        return new Tensor(shape, dtype, (Array)data.Clone());
    }

    /// <summary>A rank-0 tensor.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) => Fill(Shape.Scalar, value, dtype);

    /// <summary>A tensor of <paramref name="shape"/> filled with zeros.</summary>
    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32) => new(shape, dtype);

    /// <summary>A tensor of <paramref name="shape"/> filled with ones.</summary>
    public static Tensor Ones(Shape shape, DType dtype = DType.Float32) => Fill(shape, 1, dtype);

    /// <summary>A tensor of <paramref name="shape"/> with every element <paramref name="value"/> (rounded to float32 for that dtype).</summary>
    public static Tensor Fill(Shape shape, double value, DType dtype = DType.Float32)
    {
        var t = new Tensor(shape, dtype);
        if (dtype == DType.Float32) Array.Fill(t.F32, (float)value);
        else if (dtype == DType.Float64) Array.Fill(t.F64, value);
        else if (value != 0)
            for (int i = 0; i < t.Size; i++) t.SetFlat(i, value);
        return t;
    }

    /// <summary>Seeded samples of a normal distribution (Box–Muller), reproducible for a given seed.</summary>
    public static Tensor RandomNormal(Shape shape, int seed, double mean = 0, double stddev = 1, DType dtype = DType.Float32)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape, dtype);
        for (int i = 0; i < t.Size; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            t.SetFlat(i, mean + stddev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return t;
    }

    /// <summary>Seeded samples uniform in [low, high).</summary>
    public static Tensor RandomUniform(Shape shape, int seed, double low = 0, double high = 1, DType dtype = DType.Float32)
    {
        var rng = new Random(seed);
        var t = new Tensor(shape, dtype);
        for (int i = 0; i < t.Size; i++) t.SetFlat(i, low + (high - low) * rng.NextDouble());
        return t;
    }

    /// <summary>
    /// This tensor converted to <paramref name="dtype"/> (a copy, even when the dtype is the same), as TensorFlow's cast:
    /// floats to integers truncate toward zero (saturating; NaN gives 0), anything to bool is x ≠ 0, bool to numbers is 1 or 0.
    /// </summary>
    public Tensor Cast(DType dtype)
    {
        var t = new Tensor(Shape, dtype);
        ConvertInto(t);
        return t;
    }

    /// <summary>The same elements with another shape of equal size (a copy).</summary>
    public Tensor Reshape(params int[] dims)
    {
        var shape = new Shape(dims);
        if (shape.Size != Size)
            throw new ShapeMismatchException($"Cannot reshape a tensor of shape {Shape} ({Size} elements) to {shape}.");
        var t = new Tensor(shape, DType);
        Array.Copy(Buffer, t.Buffer, Size);
        return t;
    }
}
