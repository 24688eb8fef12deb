using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Nabla;

/// <summary>
/// NumPy's .npy format (versions 1.0–3.0): the magic "\x93NUMPY", a version, a header length, a Python-dict header
/// ('descr', 'fortran_order', 'shape') padded to 64 bytes, then the raw elements. Reads float32 and float64 in either
/// byte order and either memory order (Fortran-order arrays are reordered to row-major); writes version 1.0, little-endian, C order.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads one array from a .npy file.</summary>
    public static Tensor Read(string path) => Read(AtomicFile.ReadAll(path, "The .npy file"), path);

    /// <summary>Writes <paramref name="tensor"/> to a .npy file (atomically: a temporary name, then a rename).</summary>
    public static void Write(string path, Tensor tensor) => AtomicFile.Write(path, s => s.Write(ToBytes(tensor)));

    /// <summary>Parses .npy bytes; <paramref name="source"/> names the file in errors.</summary>
    public static Tensor Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new TensorFileCorruptException($"'{source}' is not a .npy file: it does not start with the magic bytes \\x93NUMPY.");
        byte major = bytes[6];
        if (major is < 1 or > 3)
            throw new TensorFileUnsupportedException($"'{source}' is .npy format version {major}.{bytes[7]}; this build reads versions 1 to 3.");
        int lengthSize = major == 1 ? 2 : 4;
        if (bytes.Length < 8 + lengthSize) throw Truncated(source, "the header length", 8);
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        int headerStart = 8 + lengthSize;
        if (headerLength > bytes.Length - headerStart) throw Truncated(source, "the header", headerStart);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(headerStart, (int)headerLength));
        var (entry, bigEndian, fortran, dims) = ParseHeader(header, source);
        var dtype = ElementTypes.Require(entry, $"'{source}'");

        long size = 1;
        foreach (int d in dims) size = checked(size * d);
        int dataStart = headerStart + (int)headerLength;
        long byteCount = size * entry.Size;
        if (bytes.Length - dataStart < byteCount)
            throw new TensorFileCorruptException($"'{source}' is truncated: shape ({string.Join(", ", dims)}) needs {byteCount} bytes of data from offset {dataStart}, but the file has {bytes.Length - dataStart}.");
        if (bytes.Length - dataStart > byteCount)
            throw new TensorFileCorruptException($"'{source}' has {bytes.Length - dataStart - byteCount} bytes after its data (offset {dataStart + byteCount}); the file is corrupt or not a plain array.");
        var raw = bytes.Slice(dataStart, (int)byteCount);
        if (!fortran) return ElementTypes.Decode(raw, dtype, dims, bigEndian);
        // Fortran order: the bytes are the row-major array of the reversed shape; transpose them back.
        var reversed = ElementTypes.Decode(raw, dtype, dims.Reverse().ToArray(), bigEndian);
        return TransposeAll(reversed, dims);
    }

    /// <summary>The .npy bytes of <paramref name="tensor"/>: version 1.0, little-endian, C order.</summary>
    public static byte[] ToBytes(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var entry = ElementTypes.Of(tensor.DType);
        var dims = tensor.Shape.Dims;
        string shape = dims.Length == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
        var header = $"{{'descr': '<{entry.NumpyKind}{entry.Size}', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        using var s = new MemoryStream();
        s.Write(Magic);
        s.WriteByte(1);
        s.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        s.Write(len);
        s.Write(Encoding.Latin1.GetBytes(header));
        s.Write(ElementTypes.Encode(tensor));
        return s.ToArray();
    }

    private static (ElementTypes.Entry Entry, bool BigEndian, bool Fortran, int[] Dims) ParseHeader(string header, string source)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new TensorFileCorruptException($"'{source}': the .npy header {header.Trim()} lacks 'descr', 'fortran_order' or 'shape'; the file is corrupt.");
        char order = descr.Groups[1].Value is "" ? '|' : descr.Groups[1].Value[0];
        char kind = descr.Groups[2].Value[0];
        int size = int.Parse(descr.Groups[3].Value);
        var entry = ElementTypes.All.FirstOrDefault(e => e.NumpyKind == kind && e.Size == size)
            ?? throw new TensorFileUnsupportedException($"'{source}' holds elements of NumPy type '{descr.Groups[0].Value}', which Nabla does not read; save float32, float64, int32, int64 or bool arrays.");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, out int v) && v >= 0 ? v : throw new TensorFileCorruptException($"'{source}': the shape {shape.Value} has the bad dimension '{d}'."))
            .ToArray();
        return (entry, order == '>', fortran.Groups[1].Value == "True", dims);
    }

    /// <summary>Reverses all axes: t has shape reverse(dims), the result has shape dims. Moves raw bytes, so int64 stays exact.</summary>
    private static Tensor TransposeAll(Tensor t, int[] dims)
    {
        int rank = dims.Length, width = t.DType.ByteSize();
        var source = t.AsBytes();
        var result = new byte[source.Length];
        var index = new int[rank];
        var sourceStrides = new Shape(dims.Reverse().ToArray()).Strides();
        for (int flat = 0; flat < t.Size; flat++)
        {
            int src = 0;
            for (int a = 0; a < rank; a++) src += index[a] * sourceStrides[rank - 1 - a];
            source.Slice(src * width, width).CopyTo(result.AsSpan(flat * width, width));
            for (int a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return Tensor.FromBytes(result, new Shape(dims), t.DType);
    }

    private static TensorFileCorruptException Truncated(string source, string what, int offset) =>
        new($"'{source}' is truncated: it ends while reading {what} at offset {offset}.");

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=]?)([a-zA-Z])(\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
