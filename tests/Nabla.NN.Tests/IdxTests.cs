using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.NN.Tests;

public class IdxTests
{
    /// <summary>An IDX file of unsigned bytes with the given dims and data.</summary>
    private static byte[] IdxBytes(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    [Fact]
    public void ReadsRawAndGzip()
    {
        using var dir = new TempDir();
        var bytes = IdxBytes([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        File.WriteAllBytes(dir.File("raw"), bytes);
        using (var gz = new GZipStream(File.Create(dir.File("packed.gz")), CompressionLevel.Optimal)) gz.Write(bytes);
        foreach (var name in new[] { "raw", "packed.gz" })
        {
            var a = Idx.Read(dir.File(name));
            Assert.Equal([2, 2, 3], a.Dims);
            Assert.Equal(6, a.ItemSize);
            Assert.Equal(12, a.Data[11]);
        }
    }

    [Fact]
    public void WrongMagicNumberIsAFormatError()
    {
        var bytes = IdxBytes([1], [0]);
        bytes[0] = 0x12;
        var e = Assert.Throws<IdxFormatException>(() => Idx.Parse(bytes, "bad"));
        Assert.Contains("magic", e.Message);
        Assert.Contains("'bad'", e.Message);
    }

    [Fact]
    public void UnsupportedTypeCodeIsAFormatError()
    {
        var e = Assert.Throws<IdxFormatException>(() => Idx.Parse(IdxBytes([1], [0], type: 0x0D), "floats"));
        Assert.Contains("0x0D", e.Message);
    }

    [Fact]
    public void TruncatedDataIsAFormatError()
    {
        var bytes = IdxBytes([3, 2, 2], new byte[12]);
        var e = Assert.Throws<IdxFormatException>(() => Idx.Parse(bytes.AsSpan(0, bytes.Length - 5), "short"));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("12 data bytes", e.Message);
        Assert.Throws<IdxFormatException>(() => Idx.Parse(bytes.AsSpan(0, 9), "header"));
    }

    [Fact]
    public void TruncatedGzipIsAFormatError()
    {
        using var dir = new TempDir();
        using (var gz = new GZipStream(File.Create(dir.File("x.gz")), CompressionLevel.Optimal)) gz.Write(IdxBytes([100], new byte[100]));
        var bytes = File.ReadAllBytes(dir.File("x.gz"));
        File.WriteAllBytes(dir.File("x.gz"), bytes[..(bytes.Length / 2)]);
        Assert.Throws<IdxFormatException>(() => Idx.Read(dir.File("x.gz")));
    }

    [Fact]
    public void LabelCountDifferentFromImageCountIsAMismatch()
    {
        var images = Idx.Parse(IdxBytes([3, 2, 2], new byte[12]), "images");
        var labels = Idx.Parse(IdxBytes([2], [1, 2]), "labels");
        var e = Assert.Throws<DatasetMismatchException>(() => Mnist.FromIdx(images, labels, "set"));
        Assert.Contains("3 images but 2 labels", e.Message);
    }

    [Fact]
    public void LabelOutOfRangeIsAFormatError()
    {
        var images = Idx.Parse(IdxBytes([1, 2, 2], new byte[4]), "images");
        Assert.Throws<IdxFormatException>(() => Mnist.FromIdx(images, Idx.Parse(IdxBytes([1], [10]), "labels"), "set"));
    }

    [Fact]
    public void MissingFolderSaysHowToGetTheData()
    {
        var e = Assert.Throws<DatasetException>(() => Mnist.Load("/nonexistent/mnist"));
        Assert.Contains("get-mnist.sh", e.Message);
    }

    [Fact]
    public void ShippedSubsetLoads()
    {
        var (train, test) = Mnist.Load(Shipped.MnistSubset);
        Assert.Equal(6000, train.Count);
        Assert.Equal(1000, test.Count);
        Assert.Equal(784, train.ExampleSize);
        Assert.All(train.Features.Take(5000), f => Assert.InRange(f, 0f, 1f));
        Assert.Equal(10, train.Labels.Distinct().Count());
    }
}
