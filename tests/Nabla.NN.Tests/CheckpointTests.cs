namespace Nabla.NN.Tests;

public class CheckpointTests
{
    private sealed class Model
    {
        public Model(int hidden, int seed)
        {
            Graph = new Graph();
            Net = new Sequential(seed, new Dense(hidden, Activations.Relu), new BatchNorm(), new Dense(3));
            Net.Apply(Graph.Placeholder("x", new Shape(-1, 4)));
            Session = new Session(Graph);
        }

        public Graph Graph { get; }
        public Sequential Net { get; }
        public Session Session { get; }
        public float[][] Values() => Net.Variables.Select(v => Session.GetVariable(v).ToArray<float>()).ToArray();
    }

    private static void SameValues(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Fact]
    public void RoundTripRestoresEveryVariableAndMetadata()
    {
        using var dir = new TempDir();
        var a = new Model(5, seed: 1);
        Checkpoint.Save(dir.File("a.ckpt"), a.Session, a.Net.Variables, "{\"model\":\"test\"}");
        var b = new Model(5, seed: 2);
        Assert.NotEqual(a.Values()[0], b.Values()[0]);
        Assert.Equal("{\"model\":\"test\"}", Checkpoint.Restore(dir.File("a.ckpt"), b.Session, b.Net.Variables));
        SameValues(a.Values(), b.Values());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    /// <summary>Saves model a, damages the file, and checks that restoring into model b fails with <typeparamref name="TError"/> and leaves b as it was.</summary>
    private static TError RestoreFails<TError>(Func<byte[], byte[]> damage, int otherHidden = 5) where TError : CheckpointException
    {
        using var dir = new TempDir();
        var a = new Model(5, seed: 1);
        Checkpoint.Save(dir.File("a.ckpt"), a.Session, a.Net.Variables);
        File.WriteAllBytes(dir.File("a.ckpt"), damage(File.ReadAllBytes(dir.File("a.ckpt"))));
        var b = new Model(otherHidden, seed: 2);
        var before = b.Values();
        var e = Assert.Throws<TError>(() => Checkpoint.Restore(dir.File("a.ckpt"), b.Session, b.Net.Variables));
        SameValues(before, b.Values());
        return e;
    }

    [Fact]
    public void CorruptFileFailsTheChecksum()
    {
        var e = RestoreFails<CheckpointCorruptException>(bytes =>
        {
            bytes[bytes.Length / 2] ^= 0x40;
            return bytes;
        });
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void TruncatedFileNamesTheVariableBeingRead()
    {
        var e = RestoreFails<CheckpointCorruptException>(bytes => bytes[..(bytes.Length * 2 / 3)]);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("variable '", e.Message);
    }

    [Fact]
    public void MissingChecksumIsTruncation() =>
        Assert.Contains("truncated", RestoreFails<CheckpointCorruptException>(bytes => bytes[..^10]).Message);

    [Fact]
    public void NotACheckpointIsRejected() =>
        RestoreFails<CheckpointCorruptException>(_ => "hello, world"u8.ToArray());

    [Fact]
    public void CheckpointOfAnotherArchitectureNamesTheVariable()
    {
        var e = RestoreFails<CheckpointMismatchException>(bytes => bytes, otherHidden: 6);
        Assert.Contains("dense0/kernel", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }

    [Fact]
    public void CheckpointWithOtherVariableNamesIsAMismatch()
    {
        using var dir = new TempDir();
        var g = new Graph();
        var v = g.Variable("something/else", Tensor.Zeros(new Shape(2)));
        using (var s = new Session(g)) Checkpoint.Save(dir.File("other.ckpt"), s, [v]);
        var b = new Model(5, seed: 2);
        var before = b.Values();
        var e = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.Restore(dir.File("other.ckpt"), b.Session, b.Net.Variables));
        Assert.Contains("dense0/kernel", e.Message);
        SameValues(before, b.Values());
    }
}
