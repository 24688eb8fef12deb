using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.NN;

/// <summary>
/// The IDX format of MNIST (LeCun et al.): a 4-byte magic number (two zero bytes, a type code, the number of
/// dimensions), each dimension as a big-endian int32, then the data. Only unsigned bytes (type 0x08) are read.
/// </summary>
public static class Idx
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads an IDX file, raw or gzip-compressed (recognized by its content, not its name).</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new DatasetException($"IDX file '{path}' does not exist. For MNIST, run 'bash scripts/get-mnist.sh' or pass --data with the folder that holds the files.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
            if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var raw = new MemoryStream();
                gz.CopyTo(raw);
                bytes = raw.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"IDX file '{path}': the gzip stream is corrupt or truncated ({e.Message}). Download the file again.");
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of an uncompressed IDX file; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 4)
            throw new IdxFormatException($"IDX file '{source}' has {bytes.Length} bytes, fewer than the 4 of the magic number: it is empty or truncated.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFormatException($"IDX file '{source}': wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}; an IDX file starts with two zero bytes. Is it an IDX file (or a gzip file renamed)?");
        if (bytes[2] != UnsignedByte)
            throw new IdxFormatException($"IDX file '{source}': element type code 0x{bytes[2]:X2} is not supported; only unsigned bytes (0x08), as in MNIST, are.");
        int rank = bytes[3];
        if (rank == 0)
            throw new IdxFormatException($"IDX file '{source}': the magic number declares 0 dimensions.");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new IdxFormatException($"IDX file '{source}' is truncated: its header needs {header} bytes for {rank} dimensions, the file has {bytes.Length}.");
        var dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * i)..]);
            if (dims[i] <= 0)
                throw new IdxFormatException($"IDX file '{source}': dimension {i} is {dims[i]}; dimensions must be positive.");
            size *= dims[i];
        }
        long expected = header + size;
        if (bytes.Length < expected)
            throw new IdxFormatException($"IDX file '{source}' is truncated: dimensions [{string.Join(", ", dims)}] need {size} data bytes after the {header}-byte header, but only {bytes.Length - header} are there.");
        if (bytes.Length > expected)
            throw new IdxFormatException($"IDX file '{source}' has {bytes.Length - expected} bytes after the data that dimensions [{string.Join(", ", dims)}] describe; the header does not match the file.");
        return new IdxArray(dims, bytes[header..].ToArray());
    }
}

/// <summary>The content of an IDX file: its dimensions and its elements in row-major order.</summary>
public sealed record IdxArray(int[] Dims, byte[] Data)
{
    /// <summary>The number of items (the first dimension).</summary>
    public int Count => Dims[0];

    /// <summary>The number of elements per item (the product of the other dimensions).</summary>
    public int ItemSize => Data.Length / Dims[0];
}
