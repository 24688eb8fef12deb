using Nabla.Bench.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace Nabla.Bench.TorchSharp;

/// <summary>
/// The workloads of bench/Nabla.Bench/Workloads.cs in TorchSharp: float32 on the CPU, the same shapes, kinds of
/// initialisation and flop counts (<see cref="WorkloadFlops"/>). Every step runs inside a dispose scope so its native tensors are freed at once.
/// </summary>
internal static class Workloads
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        MatMul(128), MatMul(256), MatMul(512), MatMul(1024), MatMul(2048),
        MatMulInto(128), MatMulInto(256), MatMulInto(512), MatMulInto(1024), MatMulInto(2048),
        Mlp(64), Mlp(256), LeNet(),
        Reference(), TanhSum(), ScalarChain(), CharLm32(), LstmLm(),
    ];

    /// <summary>a. C = A·B for n×n float32 matrices as a user writes it: <c>torch.mm(a, b)</c>, a fresh result per call.</summary>
    private static Workload MatMul(int n) => new()
    {
        Key = $"matmul{n}",
        Title = $"a. matmul float32 {n}×{n}·{n}×{n}, public API, fresh result",
        Flops = WorkloadFlops.MatMul(n),
        Prepare = () =>
        {
            torch.manual_seed(1);
            var a = randn(n, n);
            var b = randn(n, n);
            return () =>
            {
                using var scope = NewDisposeScope();
                mm(a, b);
            };
        },
    };

    /// <summary>
    /// a′. The same product into a result made once. TorchSharp has no <c>out:</c> overload of matmul or mm, so the
    /// product is written into a preallocated C with <c>C.addmm_(A, B, beta: 0, alpha: 1)</c>, which ignores C's old
    /// contents and allocates nothing.
    /// </summary>
    private static Workload MatMulInto(int n) => new()
    {
        Key = $"matmulinto{n}",
        Title = $"a′. matmul float32 {n}×{n}·{n}×{n}, public API into a result made once",
        Flops = WorkloadFlops.MatMul(n),
        Prepare = () =>
        {
            torch.manual_seed(1);
            var a = randn(n, n);
            var b = randn(n, n);
            var c = zeros(n, n);
            CheckProduct(a, b, c);
            return () =>
            {
                using var scope = NewDisposeScope();
                c.addmm_(a, b, beta: 0, alpha: 1);
            };
        },
    };

    /// <summary>Checks once that the in-place product equals torch.mm, so the timed step computes what it claims.</summary>
    private static void CheckProduct(Tensor a, Tensor b, Tensor c)
    {
        using var scope = NewDisposeScope();
        c.addmm_(a, b, beta: 0, alpha: 1);
        double error = (c - mm(a, b)).abs().max().item<float>();
        if (error > 1e-3) throw new InvalidOperationException($"addmm_ differs from mm by {error}");
    }

    /// <summary>b. One SGD training step of a 784-256-128-10 ReLU network with softmax cross-entropy.</summary>
    private static Workload Mlp(int batch) => new()
    {
        Key = $"mlp{batch}",
        Title = $"b. MLP 784-256-128-10 train step, batch {batch}",
        Flops = WorkloadFlops.Mlp(batch),
        Prepare = () => Models.MlpStep(batch),
    };

    /// <summary>g. One AdamW training step of the default character transformer of <c>nabla lm train</c> (see <see cref="CharLm"/>).</summary>
    private static Workload CharLm32() => new()
    {
        Key = "charlm32",
        Title = WorkloadFlops.CharLmTitle,
        Flops = WorkloadFlops.CharLm(32),
        Prepare = () => CharLm.Step(27, 16, 64, 2, 4, 32),
    };

    /// <summary>
    /// h. One AdamW training step (weight decay 0.01, clipping at norm 1) of the default LSTM language model of
    /// <c>nabla lm train --model lstm</c> on one fixed batch, with torch.nn.LSTM: 32 windows of context 16 over 27
    /// characters, embedding 64, hidden size 256, projection to 27 logits, mean cross-entropy over all 512 positions.
    /// </summary>
    private static Workload LstmLm() => new()
    {
        Key = "lstmlm",
        Title = "h. char LSTM LM train step, batch 32, context 16, embedding 64, hidden 256, AdamW + clipping",
        Flops = WorkloadFlops.LstmLm(LstmLmShape.Batch, LstmLmShape.Context, LstmLmShape.Vocabulary, LstmLmShape.Embedding, LstmLmShape.Hidden),
        Prepare = () => Models.LstmLmStep(),
    };

    /// <summary>c. One SGD training step of LeNet-5 on 1×28×28 inputs, batch 64.</summary>
    private static Workload LeNet() => new()
    {
        Key = "lenet64",
        Title = "c. LeNet-5 train step, batch 64",
        Flops = WorkloadFlops.LeNet(64),
        Prepare = () => Models.LeNetStep(64),
    };

    /// <summary>d. The reference example a·b + c·d on scalars: the value and the four input gradients.</summary>
    private static Workload Reference() => new()
    {
        Key = "ref",
        Title = "d. reference a*b+c*d, value + 4 gradients",
        Prepare = () =>
        {
            var a = tensor(3f, requires_grad: true);
            var b = tensor(2f, requires_grad: true);
            var c = tensor(4f, requires_grad: true);
            var d = tensor(5f, requires_grad: true);
            Tensor[] inputs = [a, b, c, d];
            CheckReference(a, b, c, d, inputs);
            return () =>
            {
                using var scope = NewDisposeScope();
                var g = a * b + c * d;
                torch.autograd.grad([g], inputs);
            };
        },
    };

    /// <summary>Checks once that the step gives the documented figures: g = 26, gradients 2, 3, 5, 4.</summary>
    private static void CheckReference(Tensor a, Tensor b, Tensor c, Tensor d, Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var g = a * b + c * d;
        float[] got = [g.item<float>(), .. torch.autograd.grad([g], inputs).Select(t => t.item<float>())];
        if (!got.SequenceEqual([26f, 2f, 3f, 5f, 4f])) throw new InvalidOperationException($"reference example gives {string.Join(" ", got)}");
    }

    /// <summary>e. sum(tanh(x)·x + x) over 10⁶ standard-normal float32: value and gradient.</summary>
    private static Workload TanhSum() => new()
    {
        Key = "tanhsum",
        Title = "e. sum(tanh(x)*x + x), 1e6 float32, value + gradient",
        Prepare = () =>
        {
            torch.manual_seed(3);
            var x = randn(1_000_000).requires_grad_();
            Tensor[] inputs = [x];
            return () =>
            {
                using var scope = NewDisposeScope();
                var y = (x.tanh() * x + x).sum();
                torch.autograd.grad([y], inputs);
            };
        },
    };

    /// <summary>
    /// f. x ← sin(x)·1.0001 + 0.1 repeated 10,000 times on a scalar: value and gradient. The two constants are made
    /// into native scalars once, not converted anew in each of the 20,000 operations.
    /// </summary>
    private static Workload ScalarChain() => new()
    {
        Key = "chain",
        Title = "f. scalar chain sin/mul/add ×10,000, value + gradient",
        Prepare = () =>
        {
            var x0 = tensor(0.5f, requires_grad: true);
            var scale = 1.0001.ToScalar();
            var shift = 0.1.ToScalar();
            Tensor[] inputs = [x0];
            return () =>
            {
                using var scope = NewDisposeScope();
                var x = x0;
                for (int i = 0; i < 10_000; i++) x = x.sin() * scale + shift;
                torch.autograd.grad([x], inputs);
            };
        },
    };
}
