using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>
/// The float32 products of the LSTM language-model step and the batch-64 MLP step, each through the public API into a
/// result made once (<c>session.Run(a.MatMul(b, transposeA, transposeB), feeds, c)</c>):
/// <c>dotnet bench/Nabla.Bench/bin/Release/net10.0/Nabla.Bench.dll bdn --filter *GemmShapes*</c>.
/// A shape reads "[tA|tB] A B" with A and B as stored (short enough that the summary does not cut it) and tA / tB where
/// the product transposes one: the LSTM's are "tB 32x256 1024x256", "32x1024 1024x256", "tA 512x1024 512x256".
/// </summary>
[MedianColumn, MinColumn, MaxColumn]
public class GemmShapesBenchmark
{
    private Session _session = null!;
    private Node _product = null!;
    private Feeds _feeds = [];
    private Tensor _result = null!;

    /// <summary>The transpose, if any, and the stored shapes of A and B.</summary>
    [Params(
        "tB 32x256 1024x256", "32x1024 1024x256", "tA 512x1024 512x256",
        "64x784 784x256", "tA 64x784 64x256", "64x256 256x128", "tB 64x128 256x128", "tA 64x256 64x128")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var words = Shape.Split(' ');
        bool transposeA = words[0] == "tA", transposeB = words[0] == "tB";
        int[] sa = Dims(words[^2]), sb = Dims(words[^1]);
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
