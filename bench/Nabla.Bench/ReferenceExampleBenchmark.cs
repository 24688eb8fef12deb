using BenchmarkDotNet.Attributes;
using Nabla.Examples;

namespace Nabla.Bench;

/// <summary>
/// One Run of the reference example g = a*b + c*d fetching g and its four gradients:
/// <c>dotnet run -c Release --project bench/Nabla.Bench -- bdn --filter *ReferenceExample*</c>.
/// </summary>
[MemoryDiagnoser, MedianColumn, MinColumn, MaxColumn]
public class ReferenceExampleBenchmark
{
    private Session _session = null!;
    private Node?[] _fetches = [];
    private Feeds _feeds = [];

    [GlobalSetup]
    public void Setup()
    {
        var ex = new ReferenceExample();
        _session = new Session(ex.Graph);
        _fetches = [ex.G, .. ex.Graph.Gradients(ex.G, ex.A, ex.B, ex.C, ex.D)];
        _feeds = ex.Feeds();
    }

    [Benchmark]
    public Tensor[] ValuesAndGradients() => _session.Run(_fetches, _feeds);

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();
}
