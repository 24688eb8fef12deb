using System.Buffers.Binary;
using System.Text;

namespace Nabla.NN.Tests;

/// <summary>Saves that cannot collide or lose data, crafted checkpoint headers, and concurrent training under UseLocking.</summary>
public class NNReliabilityTests
{
    private static (Graph G, Node W, Session S) OneVariable(params float[] values)
    {
        var g = new Graph();
        var w = g.Variable("w", Tensor.FromArray(values, values.Length));
        return (g, w, new Session(g));
    }

    [Fact]
    public void ConcurrentSavesToOnePathAllSucceedAndLeaveAValidFile()
    {
        using var dir = new TempDir();
        var (_, w, s) = OneVariable(1, 2, 3);
        string path = dir.File("w.ckpt");
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => Checkpoint.Save(path, s, [w]));
        Assert.Equal([1f, 2, 3], Checkpoint.Read(path).Entries.Single().Value.ToArray<float>());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void SaveRefusesAVariableOfAnotherGraph()
    {
        using var dir = new TempDir();
        var (_, _, s) = OneVariable(1);
        var (_, other, _) = OneVariable(5);
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Save(dir.File("x.ckpt"), s, [other]));
        Assert.Contains("another graph", ex.Message);
        Assert.False(File.Exists(dir.File("x.ckpt")));
    }

    [Fact]
    public void AnUnwritablePathIsACheckpointError()
    {
        using var dir = new TempDir();
        var (_, w, s) = OneVariable(1);
        File.WriteAllText(dir.File("file"), "not a folder");
        var ex = Assert.Throws<CheckpointException>(() => Checkpoint.Save(dir.File("file/sub/w.ckpt"), s, [w]));
        Assert.NotNull(ex.InnerException);
        Assert.Contains("could not be written", ex.Message);
    }

    /// <summary>A file with one float32 variable whose header declares <paramref name="dims"/> and no data.</summary>
    private static byte[] Crafted(params int[] dims)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("NABLACKP"u8);
            w.Write(1u);
            w.Write("");
            w.Write(1);
            w.Write("w");
            w.Write((byte)DType.Float32);
            w.Write(dims.Length);
            foreach (int d in dims) w.Write(d);
            w.Write(new byte[64]);
        }
        return body.ToArray();
    }

    [Theory]
    [InlineData(1 << 30, 1 << 30, 1 << 30)]
    [InlineData(65536, 65537)]
    [InlineData(1 << 20)]
    [InlineData(0, 1 << 30, 1 << 30, 1 << 30)]
    public void DeclaredSizesAreCheckedAgainstTheFileBeforeAllocating(params int[] dims)
    {
        using var dir = new TempDir();
        string path = dir.File("crafted.ckpt");
        File.WriteAllBytes(path, Crafted(dims));
        var ex = Assert.ThrowsAny<CheckpointException>(() => Checkpoint.Read(path));
        Assert.IsType<CheckpointCorruptException>(ex);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void EightThreadsTrainingOneSessionWithLockingLoseNoUpdate(string kind)
    {
        const int threads = 8, steps = 1000;
        var g = new Graph();
        var w = g.Variable("w", Tensor.Zeros(new Shape(4)));
        var loss = (w * g.Constant(Tensor.Ones(new Shape(4)))).Sum();
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(1.0 / 1024) { UseLocking = true },
            "momentum" => new Momentum(1.0 / 1024, 0.5) { UseLocking = true },
            _ => new Adam(1.0 / 1024) { UseLocking = true },
        };
        var train = optimizer.Minimize(loss);
        using var s = new Session(g);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (int i = 0; i < steps; i++) s.Run(train);
        });
        var values = s.GetVariable(w).ToArray<float>();
        if (kind == "sgd")
            Assert.All(values, v => Assert.Equal(-threads * steps / 1024f, v)); // every step subtracts exactly 1/1024
        else if (kind == "momentum")
        {
            // a ← a/2 + 1 from 0 reaches 2 − 2^(1−n); w ← w − a/1024: both are order-independent sums of the same terms.
            double expected = -Enumerable.Range(1, threads * steps).Sum(n => 2 - Math.Pow(2, 1 - n)) / 1024;
            Assert.All(values, v => Assert.Equal(expected, v, 2));
        }
        else
            Assert.Equal(threads * steps, s.GetVariable(optimizer.Slots.Single(v => v.Name.EndsWith("step"))).Scalar<float>());
    }
}

public class TrainingDivergenceTests
{
    [Fact]
    public void ANonFiniteLossStopsTrainingBeforeTheStepChangesAnyWeight()
    {
        var features = Enumerable.Range(0, 16).Select(i => (float)Math.Sin(i)).ToArray();
        features[5] = float.NaN;
        var data = new Dataset(features, [4], [0, 1, 2, 1]);
        var model = new Sequential(1, new Dense(3, Activations.Relu), new Dense(3));
        using var trainer = new ClassifierTrainer(model, [4], new Sgd(0.1));
        var before = model.Variables.Select(v => trainer.Session.GetVariable(v).ToArray<float>()).ToArray();
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.TrainEpoch(data, 4, new Random(1)));
        Assert.Equal(0, ex.Step);
        Assert.Equal(trainer.Loss!.Name, ex.LossNode);
        Assert.Contains($"'{trainer.Loss.Name}'", ex.Message);
        Assert.IsType<NonFiniteValueException>(ex.InnerException);
        var after = model.Variables.Select(v => trainer.Session.GetVariable(v).ToArray<float>()).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
        Assert.Equal(0, trainer.Step);
    }
}
