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
        new('i', 4, "I32", Nabla.DType.Int32, "int32"),
        new('i', 8, "I64", Nabla.DType.Int64, "int64"),
        new('i', 1, "I8", null, "int8"),
        new('i', 2, "I16", null, "int16"),
        new('u', 1, "U8", null, "uint8"),
        new('b', 1, "BOOL", Nabla.DType.Bool, "bool"),
    ];

    public static Entry Of(DType dtype) => All.First(e => e.DType == dtype);

    /// <summary>The Nabla dtype of a known element type, or a <see cref="TensorFileUnsupportedException"/> naming it.</summary>
    public static DType Require(Entry entry, string where) =>
        entry.DType ?? throw new TensorFileUnsupportedException(
            $"{where} holds {entry.Name} elements; Nabla tensors are float32, float64, int32, int64 or bool. Convert the array (e.g. arr.astype('float32')) before saving it.");

    /// <summary>A tensor from little- or big-endian raw bytes in row-major order.</summary>
    public static Tensor Decode(ReadOnlySpan<byte> raw, DType dtype, int[] dims, bool bigEndian)
    {
        int size = dtype.ByteSize();
        if (bigEndian == !BitConverter.IsLittleEndian || size == 1) return Tensor.FromBytes(raw, new Shape(dims), dtype);
        var swapped = raw.ToArray();
        for (int i = 0; i < swapped.Length; i += size) swapped.AsSpan(i, size).Reverse();
        return Tensor.FromBytes(swapped, new Shape(dims), dtype);
    }

    /// <summary>The tensor's elements as little-endian bytes in row-major order.</summary>
    public static byte[] Encode(Tensor t)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Tensor files are written on little-endian machines only.");
        return t.AsBytes().ToArray();
    }
}
