using System.Security.Cryptography;
using System.Text;

namespace Nabla.NN.Tests;

/// <summary>Checkpoints of int32, int64 and bool variables, and files in the format written before those dtypes existed.</summary>
public class IntegerCheckpointTests
{
    [Fact]
    public void IntegerAndBoolVariablesRoundTrip()
    {
        using var dir = new TempDir();
        var g = new Graph();
        Node[] vars =
        [
            g.Variable("step", Tensor.FromArray(new[] { 41 })),
            g.Variable("seen", Tensor.FromArray(new[] { long.MaxValue, -5L }, 2, 1)),
            g.Variable("mask", Tensor.FromArray(new[] { true, false, true })),
            g.Variable("w", Tensor.FromArray(new[] { 0.25f, -1f })),
        ];
        using (var s = new Session(g)) Checkpoint.Save(dir.File("mixed.ckpt"), s, vars);
        var data = Checkpoint.Read(dir.File("mixed.ckpt"));
        Assert.Equal([DType.Int32, DType.Int64, DType.Bool, DType.Float32], data.Entries.Select(e => e.Value.DType));
        Assert.Equal(new[] { long.MaxValue, -5L }, data.Entries[1].Value.ToArray<long>());
        Assert.Equal(new Shape(2, 1), data.Entries[1].Value.Shape);
        Assert.Equal(new[] { true, false, true }, data.Entries[2].Value.ToArray<bool>());
        using var restored = new Session(g);
        data.Restore(restored, vars);
        Assert.Equal(new[] { 41 }, restored.GetVariable(vars[0]).ToArray<int>());
    }

    /// <summary>Writes version 1 of the format by hand (as builds with only float dtypes wrote it) and reads it back.</summary>
    [Fact]
    public void FilesFromBeforeIntegerDTypesStillRead()
    {
        using var dir = new TempDir();
        var body = new MemoryStream();
        var w = new BinaryWriter(body, Encoding.UTF8);
        w.Write("NABLACKP"u8);
        w.Write(1u);
        w.Write("{}");
        w.Write(2);
        w.Write("a");
        w.Write((byte)0);
        w.Write(1);
        w.Write(2);
        w.Write(1.5f);
        w.Write(-2f);
        w.Write("b");
        w.Write((byte)1);
        w.Write(0);
        w.Write(Math.PI);
        w.Flush();
        var bytes = body.ToArray();
        File.WriteAllBytes(dir.File("old.ckpt"), [.. bytes, .. SHA256.HashData(bytes)]);
        var data = Checkpoint.Read(dir.File("old.ckpt"));
        Assert.Equal(new[] { 1.5f, -2f }, data.Entries[0].Value.ToArray<float>());
        Assert.Equal(DType.Float64, data.Entries[1].Value.DType);
        Assert.Equal(Math.PI, data.Entries[1].Value.Scalar<double>());
    }

    [Fact]
    public void ABoolByteOtherThanZeroOrOneIsCorruption()
    {
        using var dir = new TempDir();
        var g = new Graph();
        var mask = g.Variable("mask", Tensor.FromArray(new[] { true, false }));
        using (var s = new Session(g)) Checkpoint.Save(dir.File("m.ckpt"), s, [mask]);
        var bytes = File.ReadAllBytes(dir.File("m.ckpt"));
        int at = bytes.Length - 32 - 1;
        bytes[at] = 7;
        var content = bytes[..^32];
        File.WriteAllBytes(dir.File("m.ckpt"), [.. content, .. SHA256.HashData(content)]);
        var e = Assert.Throws<CheckpointCorruptException>(() => Checkpoint.Read(dir.File("m.ckpt")));
        Assert.Contains("'mask'", e.Message);
    }

    [Fact]
    public void LabelsBeyondAByteTrainAClassifier()
    {
        // 300 classes: each example's features point at its class, so one step of SGD lowers the loss.
        int classes = 300, n = 600;
        var labels = Enumerable.Range(0, n).Select(i => i % classes).ToArray();
        var features = new float[n * 4];
        for (int i = 0; i < n; i++) { features[i * 4] = labels[i] / 300f; features[i * 4 + 1] = 1; }
        var data = new Dataset(features, [4], labels);
        var (_, y) = data.Batch(data.Sequence(), 295, 10);
        Assert.Equal(DType.Int32, y.DType);
        Assert.Equal(Enumerable.Range(295, 10).Select(i => i % classes), y.ToArray<int>());
        using var trainer = new ClassifierTrainer(new Sequential(1, new Dense(classes)), [4], new Sgd(0.5));
        var first = trainer.Evaluate(data, 100).Loss;
        trainer.TrainEpoch(data, 100, new Random(1));
        Assert.True(trainer.Evaluate(data, 100).Loss < first);
        Assert.Throws<DatasetMismatchException>(() => new Dataset(new float[4], [4], [-1]));
    }
}
