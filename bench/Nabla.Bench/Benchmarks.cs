using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>BenchmarkDotNet view of the same workloads: <c>dotnet run -c Release --project bench/Nabla.Bench -- bdn</c>.</summary>
[MemoryDiagnoser]
public class WorkloadBenchmarks
{
    private Action _step = () => { };

    [ParamsSource(nameof(Keys))]
    public string Workload { get; set; } = "ref";

    public static IEnumerable<string> Keys => Workloads.All.Select(w => w.Key);

    [GlobalSetup]
    public void Setup() => _step = Workloads.All.Single(w => w.Key == Workload).Prepare();

    [Benchmark]
    public void Step() => _step();
}
