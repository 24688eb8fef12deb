using System.Diagnostics;
using Nabla.Bench.Common;
using Nabla.Examples;
using Nabla.Execution;

namespace Nabla.Bench;

/// <summary>The workloads of the performance comparison, each built once and run many times.</summary>
internal static class Workloads
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        MatMul(128), MatMul(256), MatMul(512), MatMul(1024), MatMul(2048),
        Mlp(64, "≤ 0.66 ms"), Mlp(256, "≤ 1.8 ms"), LeNet(),
        Reference(), TanhSum(), ScalarChain(),
    ];

    /// <summary>a. C = A·B for n×n float32 matrices, through the kernel.</summary>
    private static Workload MatMul(int n) => new()
    {
        Key = $"matmul{n}",
        Title = $"a. matmul float32 {n}×{n}·{n}×{n}",
        Flops = WorkloadFlops.MatMul(n),
        Target = n >= 512 ? "≥ 185 GFLOP/s" : "≥ TorchSharp",
        Prepare = () =>
        {
            var a = Tensor.RandomNormal(new Shape([n, n]), 1).ToArray<float>();
            var b = Tensor.RandomNormal(new Shape([n, n]), 2).ToArray<float>();
            var c = new float[n * n];
            return () => Kernels.MatMul.Multiply<float>(a, b, c, n, n, n, false, false);
        },
    };

    /// <summary>b. One SGD training step of a 784-256-128-10 ReLU network with softmax cross-entropy.</summary>
    private static Workload Mlp(int batch, string target) => new()
    {
        Key = $"mlp{batch}",
        Title = $"b. MLP 784-256-128-10 train step, batch {batch}",
        Flops = WorkloadFlops.Mlp(batch),
        Target = target,
        Prepare = () => Models.MlpStep(batch),
    };

    /// <summary>c. One SGD training step of LeNet-5 on 1×28×28 inputs, batch 64.</summary>
    private static Workload LeNet() => new()
    {
        Key = "lenet64",
        Title = "c. LeNet-5 train step, batch 64",
        Flops = WorkloadFlops.LeNet(64),
        Target = "≤ 3.9 ms",
        Prepare = () => Models.LeNetStep(64),
    };

    /// <summary>d. The reference example a·b + c·d: the value and the four input gradients in one Run.</summary>
    private static Workload Reference() => new()
    {
        Key = "ref",
        Title = "d. reference a*b+c*d, value + 4 gradients",
        Target = "≤ 3 µs",
        Prepare = () =>
        {
            var ex = new ReferenceExample();
            var session = new Session(ex.Graph);
            var grads = ex.Graph.Gradients(ex.G, ex.A, ex.B, ex.C, ex.D);
            Node?[] fetches = [ex.G, .. grads];
            var feeds = ex.Feeds();
            return () => session.Run(fetches, feeds);
        },
    };

    /// <summary>e. sum(tanh(x)·x + x) over 10⁶ float32: value and gradient.</summary>
    private static Workload TanhSum() => new()
    {
        Key = "tanhsum",
        Title = "e. sum(tanh(x)*x + x), 1e6 float32, value + gradient",
        Target = "≤ 1.7 ms",
        Prepare = () =>
        {
            var g = new Graph();
            var x = g.Placeholder("x", new Shape([1_000_000]));
            var y = (x.Tanh() * x + x).Sum();
            var dx = g.Gradients(y, x)[0];
            var session = new Session(g);
            var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([1_000_000]), 3) };
            Node?[] fetches = [y, dx];
            return () => session.Run(fetches, feeds);
        },
    };

    private static string _chainNote = "";

    /// <summary>f. x ← sin(x)·1.0001 + 0.1 repeated 10,000 times on a scalar: value and gradient.</summary>
    private static Workload ScalarChain() => new()
    {
        Key = "chain",
        Title = "f. scalar chain sin/mul/add ×10,000, value + gradient",
        Target = "≤ 40 ms",
        Prepare = () =>
        {
            var build = Stopwatch.StartNew();
            var g = new Graph();
            var x0 = g.Placeholder("x", Shape.Scalar);
            var x = x0;
            for (int i = 0; i < 10_000; i++) x = x.Sin() * 1.0001 + 0.1;
            var dx = g.Gradients(x, x0)[0];
            build.Stop();
            var session = new Session(g);
            var feeds = new Feeds { [x0] = 0.5f };
            Node?[] fetches = [x, dx];
            var first = Stopwatch.StartNew();
            session.Run(fetches, feeds);
            first.Stop();
            var compile = Stopwatch.StartNew();
            var plan = PlanBuilder.Build(session, [x, dx!], feeds);
            compile.Stop();
            _chainNote = $"graph of {g.Nodes.Count} nodes built with gradients in {build.Elapsed.TotalMilliseconds:F0} ms; "
                + $"first Run (plan compile + JIT + run) {first.Elapsed.TotalMilliseconds:F0} ms; plan of {plan.Steps.Length} steps compiles in {compile.Elapsed.TotalMilliseconds:F0} ms";
            return () => session.Run(fetches, feeds);
        },
        Note = () => _chainNote,
    };
}
