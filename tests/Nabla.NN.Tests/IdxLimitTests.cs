using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.NN.Tests;

/// <summary>IDX headers that lie about their size, and gzip streams that expand past it, fail early in bounded memory.</summary>
public class IdxLimitTests
{
    private static byte[] Header(params int[] dims)
    {
        var bytes = new byte[4 + 4 * dims.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        return bytes;
    }

    private static void WriteGzip(string path, byte[] header, long zeros)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(header);
        var block = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= block.Length) gz.Write(block, 0, (int)Math.Min(block.Length, left));
    }

    [Theory]
    [InlineData(65536, 65536, 65536, 65536)] // wraps to 0 in 64 bits
    [InlineData(65536, 65536)]
    [InlineData(int.MaxValue, 2)]
    public void ADeclaredSizePastOneArrayIsAFormatError(params int[] dims)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("big"), [.. Header(dims), 1, 2, 3]);
        var ex = Assert.Throws<IdxFormatException>(() => Idx.Read(dir.File("big")));
        Assert.Contains("more than", ex.Message);
    }

    [Fact]
    public void ARawFileLongerThanDeclaredIsAFormatError()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("long"), [.. Header(2, 2), 1, 2, 3, 4, 5]);
        var ex = Assert.Throws<IdxFormatException>(() => Idx.Read(dir.File("long")));
        Assert.Contains("1 bytes after the data", ex.Message);
    }

    [Fact]
    public void AGzipBombIsRefusedAfterTheDeclaredBytes()
    {
        using var dir = new TempDir();
        string path = dir.File("bomb.gz");
        WriteGzip(path, Header(1000, 28, 28), 200L << 20); // 200 MB of zeros, a few hundred KB on disk
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<IdxFormatException>(() => Idx.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("more data than", ex.Message);
        Assert.True(allocated < 8 << 20, $"reading allocated {allocated / (1 << 20)} MB");
    }

    [Fact]
    public void AGzipStreamShorterThanDeclaredIsTruncated()
    {
        using var dir = new TempDir();
        string path = dir.File("short.gz");
        WriteGzip(path, Header(1000, 28, 28), 1000);
        var ex = Assert.Throws<IdxFormatException>(() => Idx.Read(path));
        Assert.Contains("truncated", ex.Message);
    }
}
