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

    /// <summary>
    /// Reads an IDX file, raw or gzip-compressed (recognized by its content, not its name). The declared size is
    /// checked before anything is allocated (against the file's length when raw); at most the declared bytes are
    /// read, so memory stays bounded by the header even for a gzip stream that expands without end.
    /// </summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new DatasetException($"IDX file '{path}' does not exist. For MNIST, run 'bash scripts/get-mnist.sh' or pass --data with the folder that holds the files.");
        try
        {
            using var file = File.OpenRead(path);
            bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            if (!gzip) return ReadStream(file, path, file.Length);
            using var unzipped = new GZipStream(file, CompressionMode.Decompress);
            return ReadStream(unzipped, path, null);
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"IDX file '{path}': the gzip stream is corrupt or truncated ({e.Message}). Download the file again.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"IDX file '{path}' could not be read: {e.Message}");
        }
    }

    /// <summary>Parses the bytes of an uncompressed IDX file; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string source)
    {
        var (dims, header, size) = Header(bytes, bytes.Length, source);
        CheckLength(bytes.Length, header, size, dims, source);
        return new IdxArray(dims, bytes[header..].ToArray());
    }

    private static IdxArray ReadStream(Stream stream, string source, long? length)
    {
        var start = new byte[4];
        int got = stream.ReadAtLeast(start, 4, throwOnEndOfStream: false);
        int rank = got == 4 ? start[3] : 0;
        var head = new byte[4 + 4 * rank];
        start.CopyTo(head, 0);
        if (rank > 0) got += stream.ReadAtLeast(head.AsSpan(4), 4 * rank, throwOnEndOfStream: false);
        var (dims, header, size) = Header(head.AsSpan(0, got), length ?? got, source);
        if (length is long total) CheckLength(total, header, size, dims, source);
        var data = ReadExactly(stream, (int)size, out int read);
        if (read < size) CheckLength(header + read, header, size, dims, source);
        if (stream.ReadByte() >= 0)
            throw new IdxFormatException($"IDX file '{source}' holds more data than dimensions [{string.Join(", ", dims)}] describe ({size} bytes after the {header}-byte header); the header does not match the file.");
        return new IdxArray(dims, data);
    }

    /// <summary>Up to <paramref name="size"/> bytes, the buffer growing with what actually arrives (not with what the header claims).</summary>
    private static byte[] ReadExactly(Stream stream, int size, out int read)
    {
        var buffer = new byte[Math.Min(size, 1 << 20)];
        read = 0;
        while (read < size)
        {
            if (read == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(size, 2L * buffer.Length));
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <summary>Validates the magic number and dimensions; the data size in bytes is computed in 64 bits and must fit one array.</summary>
    private static (int[] Dims, int Header, long Size) Header(ReadOnlySpan<byte> bytes, long fileLength, string source)
    {
        if (bytes.Length < 4)
            throw new IdxFormatException($"IDX file '{source}' has {fileLength} bytes, fewer than the 4 of the magic number: it is empty or truncated.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IdxFormatException($"IDX file '{source}': wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}; an IDX file starts with two zero bytes. Is it an IDX file (or a gzip file renamed)?");
        if (bytes[2] != UnsignedByte)
            throw new IdxFormatException($"IDX file '{source}': element type code 0x{bytes[2]:X2} is not supported; only unsigned bytes (0x08), as in MNIST, are.");
        int rank = bytes[3];
        if (rank == 0)
            throw new IdxFormatException($"IDX file '{source}': the magic number declares 0 dimensions.");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new IdxFormatException($"IDX file '{source}' is truncated: its header needs {header} bytes for {rank} dimensions, the file has {fileLength}.");
        var dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * i)..]);
            if (dims[i] <= 0)
                throw new IdxFormatException($"IDX file '{source}': dimension {i} is {dims[i]}; dimensions must be positive.");
            size *= dims[i];
            if (size > Array.MaxLength)
                throw new IdxFormatException($"IDX file '{source}': dimensions [{string.Join(", ", dims[..(i + 1)])}{(i + 1 < rank ? ", …" : "")}] declare more than {Array.MaxLength} bytes of data, more than one array holds; the header is corrupt.");
        }
        return (dims, header, size);
    }

    private static void CheckLength(long length, int header, long size, int[] dims, string source)
    {
        long expected = header + size;
        if (length < expected)
            throw new IdxFormatException($"IDX file '{source}' is truncated: dimensions [{string.Join(", ", dims)}] need {size} data bytes after the {header}-byte header, but only {length - header} are there.");
        if (length > expected)
            throw new IdxFormatException($"IDX file '{source}' has {length - expected} bytes after the data that dimensions [{string.Join(", ", dims)}] describe; the header does not match the file.");
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
