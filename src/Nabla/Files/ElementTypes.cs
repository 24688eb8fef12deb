using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Nabla;

/// <summary>
/// Element types as the file formats name them (NumPy descr kinds, safetensors codes) and their Nabla dtype.
/// Types without a Nabla dtype yet are listed, so a file holding them is refused by name rather than called corrupt.
/// </summary>
internal static class ElementTypes
{
    /// <summary>One element type: NumPy kind and size ("f", 4), safetensors code, and the Nabla dtype where one exists.</summary>
    public sealed record Entry(char NumpyKind, int Size, string SafeTensorsCode, DType? DType, string Name);

    public static readonly Entry[] All =
    [
        new('f', 4, "F32", Nabla.DType.Float32, "float32"),
        new('f', 8, "F64", Nabla.DType.Float64, "float64"),
        new('f', 2, "F16", null, "float16"),
        new('i', 4, "I32", null, "int32"),
        new('i', 8, "I64", null, "int64"),
        new('i', 1, "I8", null, "int8"),
        new('i', 2, "I16", null, "int16"),
        new('u', 1, "U8", null, "uint8"),
        new('b', 1, "BOOL", null, "bool"),
    ];

    public static Entry Of(DType dtype) => All.First(e => e.DType == dtype);

    /// <summary>The Nabla dtype of a known element type, or a <see cref="TensorFileUnsupportedException"/> naming it.</summary>
    public static DType Require(Entry entry, string where) =>
        entry.DType ?? throw new TensorFileUnsupportedException(
            $"{where} holds {entry.Name} elements; Nabla tensors are float32 or float64 today. Convert the array (e.g. arr.astype('float32')) before saving it.");

    /// <summary>A tensor from little- or big-endian raw bytes in row-major order.</summary>
    public static Tensor Decode(ReadOnlySpan<byte> raw, DType dtype, int[] dims, bool bigEndian)
    {
        if (dtype == Nabla.DType.Float32)
        {
            var data = MemoryMarshal.Cast<byte, float>(raw).ToArray();
            if (bigEndian != !BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
            return new Tensor(new Shape(dims), dtype, data);
        }
        var d = MemoryMarshal.Cast<byte, double>(raw).ToArray();
        if (bigEndian != !BitConverter.IsLittleEndian)
        {
            var bits = MemoryMarshal.Cast<double, long>(d.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
        return new Tensor(new Shape(dims), dtype, d);
    }

    /// <summary>The tensor's elements as little-endian bytes in row-major order.</summary>
    public static byte[] Encode(Tensor t)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Tensor files are written on little-endian machines only.");
        return t.DType == Nabla.DType.Float32
            ? MemoryMarshal.AsBytes(t.Span<float>()).ToArray()
            : MemoryMarshal.AsBytes(t.Span<double>()).ToArray();
    }
}
