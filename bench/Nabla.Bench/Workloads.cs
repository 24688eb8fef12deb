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
        MatMulInto(128), MatMulInto(256), MatMulInto(512), MatMulInto(1024), MatMulInto(2048),
        MatMulKernel(128), MatMulKernel(256), MatMulKernel(512), MatMulKernel(1024), MatMulKernel(2048),
        Mlp(64, "≤ 0.66 ms"), Mlp(256, "≤ 1.8 ms"), LeNet(),
        Reference(), TanhSum(), TanhSumInto(), ScalarChain(), CharLm(), LstmLm(),
    ];

    /// <summary>a. C = A·B for n×n float32 matrices as a user writes it: <c>session.Run(a.MatMul(b), feeds)</c>, a fresh result per run.</summary>
    private static Workload MatMul(int n) => new()
    {
        Key = $"matmul{n}",
        Title = $"a. matmul float32 {n}×{n}·{n}×{n}, public API, fresh result",
        Flops = WorkloadFlops.MatMul(n),
        Target = "≥ 1.2× TorchSharp's throughput",
        Prepare = () =>
        {
            var (session, product, feeds) = MatMulGraph(n);
            return () => session.Run(product, feeds);
        },
    };

    /// <summary>a′. The same product into a result tensor made once: <c>session.Run(a.MatMul(b), feeds, c)</c>.</summary>
    private static Workload MatMulInto(int n) => new()
    {
        Key = $"matmulinto{n}",
        Title = $"a′. matmul float32 {n}×{n}·{n}×{n}, public API into a result made once",
        Flops = WorkloadFlops.MatMul(n),
        Target = "≥ 1.2× TorchSharp's throughput",
        Prepare = () =>
        {
            var (session, product, feeds) = MatMulGraph(n);
            var result = session.CreateResults([product], feeds)[0];
            return () => session.Run(product, feeds, result);
        },
    };

    /// <summary>a″. The GEMM kernel alone, called into a preallocated C: no graph, no session; the bound the Run rows approach.</summary>
    private static Workload MatMulKernel(int n) => new()
    {
        Key = $"kernel{n}",
        Title = $"a″. GEMM kernel only (not the public API) float32 {n}×{n}·{n}×{n}",
        Flops = WorkloadFlops.MatMul(n),
        Target = n >= 512 ? "≥ 80 % of FMA peak" : "–",
        Prepare = () =>
        {
            var a = Tensor.RandomNormal(new Shape([n, n]), 1).ToArray<float>();
            var b = Tensor.RandomNormal(new Shape([n, n]), 2).ToArray<float>();
            var c = new float[n * n];
            return () => Kernels.MatMul.Multiply<float>(a, b, c, n, n, n, false, false);
        },
    };

    private static (Session Session, Node Product, Feeds Feeds) MatMulGraph(int n)
    {
        var g = new Graph();
        var a = g.Placeholder("a", new Shape([n, n]));
        var b = g.Placeholder("b", new Shape([n, n]));
        var feeds = new Feeds { [a] = Tensor.RandomNormal(new Shape([n, n]), 1), [b] = Tensor.RandomNormal(new Shape([n, n]), 2) };
        return (new Session(g), a.MatMul(b), feeds);
    }

    /// <summary>b. One SGD training step of a 784-256-128-10 ReLU network with softmax cross-entropy.</summary>
    private static Workload Mlp(int batch, string target) => new()
    {
        Key = $"mlp{batch}",
        Title = $"b. MLP 784-256-128-10 train step, batch {batch}",
        Flops = WorkloadFlops.Mlp(batch),
        Target = target,
        Prepare = () => Models.MlpStep(batch),
    };

    /// <summary>
    /// g. One AdamW training step (clipping at norm 1) of the default character transformer of <c>nabla lm train</c>:
    /// batch 32 windows of context 16 over 27 characters, width 64, 2 pre-norm blocks of 4 heads, MLP 256 wide
    /// (104,603 parameters), on random windows of a fixed random stream (the batch is drawn and fed inside the step).
    /// The TorchSharp peer builds the same model in torch.nn (bench/Nabla.Bench.TorchSharp/CharLm.cs).
    /// </summary>
    private static Workload CharLm() => new()
    {
        Key = "charlm32",
        Title = WorkloadFlops.CharLmTitle,
        Flops = WorkloadFlops.CharLm(32),
        Target = "≤ 0.7× TorchSharp",
        Prepare = () =>
        {
            var lm = new Nabla.NN.CharLanguageModel(new Nabla.NN.CharTransformerConfig(27, 16, 64, 2, 4, 0, 1),
                new Nabla.NN.AdamW(3e-3, 0.01) { ClipNorm = 1 });
            var random = new Random(1);
            var stream = Enumerable.Range(0, 20_000).Select(_ => random.Next(27)).ToArray();
            lm.TrainStep(stream, 32, random);
            return () => lm.TrainStep(stream, 32, random);
        },
    };

    /// <summary>
    /// h. One AdamW training step (weight decay 0.01, clipping at norm 1) of the default LSTM language model of
    /// <c>nabla lm train --model lstm</c> on one fixed batch: 32 windows of context 16 over 27 characters, embedding 64,
    /// LSTM of hidden size 256, projection to 27 logits, mean softmax cross-entropy over all 512 positions.
    /// </summary>
    private static Workload LstmLm() => new()
    {
        Key = "lstmlm",
        Title = "h. char LSTM LM train step, batch 32, context 16, embedding 64, hidden 256, AdamW + clipping",
        Flops = WorkloadFlops.LstmLm(LstmLmShape.Batch, LstmLmShape.Context, LstmLmShape.Vocabulary, LstmLmShape.Embedding, LstmLmShape.Hidden),
        Target = "≤ 1.5× TorchSharp",
        Prepare = () => Models.LstmLmStep(),
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

    /// <summary>e. sum(tanh(x)·x + x) over 10⁶ float32: value and gradient, fresh results per run.</summary>
    private static Workload TanhSum() => new()
    {
        Key = "tanhsum",
        Title = "e. sum(tanh(x)*x + x), 1e6 float32, value + gradient",
        Target = "≤ 0.5× TorchSharp's time",
        Prepare = () =>
        {
            var (session, fetches, feeds) = TanhSumGraph();
            return () => session.Run(fetches, feeds);
        },
    };

    /// <summary>e′. The same into result tensors made once.</summary>
    private static Workload TanhSumInto() => new()
    {
        Key = "tanhsuminto",
        Title = "e′. sum(tanh(x)*x + x), 1e6 float32, value + gradient, into results made once",
        Target = "≤ 0.5× TorchSharp's time",
        Prepare = () =>
        {
            var (session, fetches, feeds) = TanhSumGraph();
            var results = session.CreateResults(fetches, feeds);
            return () => session.Run(fetches, feeds, results);
        },
    };

    private static (Session Session, Node?[] Fetches, Feeds Feeds) TanhSumGraph()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([1_000_000]));
        var y = (x.Tanh() * x + x).Sum();
        var dx = g.Gradients(y, x)[0];
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([1_000_000]), 3) };
        return (new Session(g), [y, dx], feeds);
    }

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
