using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>
/// The float32 products of the LSTM language-model step and the batch-64 MLP step, each through the public API into a
/// result made once (<c>session.Run(a.MatMul(b, transposeA, transposeB), feeds, c)</c>):
/// <c>dotnet bench/Nabla.Bench/bin/Release/net10.0/Nabla.Bench.dll bdn --filter *GemmShapes*</c>.
/// A shape reads "A · B" as the operands are stored, with tA / tB where the product transposes one.
/// </summary>
[MedianColumn, MinColumn, MaxColumn]
public class GemmShapesBenchmark
{
    private Session _session = null!;
    private Node _product = null!;
    private Feeds _feeds = [];
    private Tensor _result = null!;

    /// <summary>The stored shapes of A and B and the transposes.</summary>
    [Params(
        "lstm tB 32x256 . 1024x256", "lstm 32x1024 . 1024x256", "lstm tA 512x1024 . 512x256",
        "mlp 64x784 . 784x256", "mlp tA 64x784 . 64x256", "mlp 64x256 . 256x128", "mlp tB 64x128 . 256x128", "mlp tA 64x256 . 64x128")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        // "<model> [tA|tB] RxC . RxC": the stored shapes of A and B.
        var words = Shape.Split(' ');
        bool transposeA = words[1] == "tA", transposeB = words[1] == "tB";
        int[] sa = Dims(words[^3]), sb = Dims(words[^1]);
        var g = new Graph();
        var a = g.Placeholder("a", new Shape(sa));
        var b = g.Placeholder("b", new Shape(sb));
        _feeds = new Feeds { [a] = Tensor.RandomNormal(new Shape(sa), 1), [b] = Tensor.RandomNormal(new Shape(sb), 2) };
        _session = new Session(g);
        _product = a.MatMul(b, transposeA, transposeB);
        _result = _session.CreateResults([_product], _feeds)[0];
    }

    private static int[] Dims(string text) => text.Split('x').Select(int.Parse).ToArray();

    [Benchmark]
    public void Product() => _session.Run(_product, _feeds, _result);

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();
}
