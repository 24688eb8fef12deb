namespace Nabla.Tests.ControlFlow;

/// <summary>
/// Scan against the same recurrence unrolled by hand in the graph (values, gradients, JVPs, both directions, 0 and 1
/// steps) and against finite differences (first and second order); carries that change shape are refused; one plan
/// runs from several threads at once.
/// </summary>
public class ScanTests
{
    /// <summary>An RNN cell: h' = tanh(h·W + x·U), output y = h'·2 + x·U. W is a captured variable, U a captured constant.</summary>
    private sealed record Rnn(Graph G, Node H0, Node Xs, Node W, Node U, int Steps)
    {
        public static Rnn Create(int steps)
        {
            var g = new Graph();
            var h0 = g.Placeholder("h0", new Shape(1, 2), DType.Float64);
            var xs = g.Placeholder("xs", new Shape(steps, 1, 3), DType.Float64);
            var w = g.Variable("W", Tensor.FromArray(new[] { 0.5, -0.3, 0.8, 0.2 }, 2, 2));
            var u = g.Constant(Tensor.FromArray(new[] { 0.1, 0.4, -0.6, 0.3, 0.9, -0.2 }, 3, 2));
            return new Rnn(g, h0, xs, w, u, steps);
        }

        public (Node H, Node Y) Cell(Node h, Node x)
        {
            var xu = x.MatMul(U);
            var next = (h.MatMul(W) + xu).Tanh();
            return (next, next * 2.0 + xu);
        }

        public (Node Carry, Node Outputs) Scanned(bool reverse = false)
        {
            var (carry, outputs) = G.Scan((c, x) =>
            {
                var (h, y) = Cell(c[0], x[0]);
                return new ScanStep([h], [y]);
            }, [H0], [Xs], reverse);
            return (carry[0], outputs[0]);
        }

        /// <summary>The same recurrence written out step by step with ordinary ops.</summary>
        public (Node Carry, Node Outputs) Unrolled(bool reverse = false)
        {
            var h = H0;
            var ys = new Node[Steps];
            for (int n = 0; n < Steps; n++)
            {
                int t = reverse ? Steps - 1 - n : n;
                (h, ys[t]) = Cell(h, Xs.Slice([t, 0, 0], [1, 1, 3]).Reshape(1, 3));
            }
            var stacked = Steps == 0 ? G.Constant(Tensor.Zeros(new Shape(0, 1, 2), DType.Float64)) : Node.Concat([.. ys.Select(y => y.Reshape(1, 1, 2))], 0);
            return (h, stacked);
        }

        public Feeds Feeds(int seed = 3)
        {
            var rng = new Random(seed);
            double[] Draw(int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1)];
            return new() { [H0] = Tensor.FromArray(Draw(2), 1, 2), [Xs] = Tensor.FromArray(Draw(Steps * 3), Steps, 1, 3) };
        }
    }

    private static void Same(Tensor want, Tensor got, double tol = 1e-12)
    {
        Assert.Equal(want.Shape, got.Shape);
        Assert.Equal(want.ToArray<double>(), got.ToArray<double>(), new Tolerance(tol));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void ValuesGradientsAndJvpsEqualTheUnrolledRecurrence(int steps, bool reverse)
    {
        var rnn = Rnn.Create(steps);
        var (carry, outputs) = rnn.Scanned(reverse);
        var (uCarry, uOutputs) = rnn.Unrolled(reverse);
        var g = rnn.G;
        using var s = new Session(g);
        var feeds = rnn.Feeds();
        Same(s.Run(uCarry, feeds), s.Run(carry, feeds));
        Same(s.Run(uOutputs, feeds), s.Run(outputs, feeds));

        var weights = g.Constant(Tensor.FromArray([.. Enumerable.Range(0, steps * 2).Select(i => 0.3 + 0.1 * i)], steps, 1, 2));
        Node Loss(Node c, Node o) => c.Sum() * 0.7 + (o * weights).Sum();
        var options = new GradientOptions { ZerosForUnconnected = true };
        var got = s.Run(g.Gradients(Loss(carry, outputs), [rnn.H0, rnn.Xs, rnn.W], options), feeds);
        var want = s.Run(g.Gradients(Loss(uCarry, uOutputs), [rnn.H0, rnn.Xs, rnn.W], options), feeds);
        for (int i = 0; i < 3; i++) Same(want[i], got[i]);

        var th = g.Constant(Tensor.FromArray(new[] { 0.2, -0.5 }, 1, 2));
        var tx = g.Constant(Tensor.FromArray([.. Enumerable.Range(0, steps * 3).Select(i => Math.Sin(i))], steps, 1, 3));
        Same(s.Run(g.Jvp(uOutputs, [rnn.H0, rnn.Xs], [th, tx]), feeds), s.Run(g.Jvp(outputs, [rnn.H0, rnn.Xs], [th, tx]), feeds));
        Same(s.Run(g.Jvp(uCarry, [rnn.H0, rnn.Xs], [th, tx]), feeds), s.Run(g.Jvp(carry, [rnn.H0, rnn.Xs], [th, tx]), feeds));
    }

    [Fact]
    public void FirstAndSecondDerivativesMatchFiniteDifferences()
    {
        var rnn = Rnn.Create(3);
        var (carry, outputs) = rnn.Scanned();
        var g = rnn.G;
        var y = carry.Sum() + (outputs * outputs).Sum();
        var feeds = rnn.Feeds(5);
        foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
            foreach (var x in new[] { rnn.H0, rnn.Xs })
                Assert.True(GradientCheck.Compute(outputs, [x], feeds, new GradientCheckOptions { Mode = mode }).MaxRelError < 1e-7, $"{mode} {x.Name}");
        // Second order: the gradient of a weighted sum of the first gradient, through the backward Scan.
        var dh0 = g.Gradients(y, rnn.H0)[0]!;
        var secondOrder = (dh0 * g.Constant(Tensor.FromArray(new[] { 1.5, -0.5 }, 1, 2))).Sum();
        Assert.True(GradientCheck.Compute(secondOrder, [rnn.H0, rnn.Xs], feeds).MaxRelError < 1e-6);
        // Forward over reverse: the JVP of the gradient.
        var jvp = g.Jvp(dh0, [rnn.H0], [g.Constant(Tensor.FromArray(new[] { 0.3, 0.8 }, 1, 2))]);
        var (uCarry, uOutputs) = rnn.Unrolled();
        var uDh0 = g.Gradients(uCarry.Sum() + (uOutputs * uOutputs).Sum(), rnn.H0)[0]!;
        var uJvp = g.Jvp(uDh0, [rnn.H0], [g.Constant(Tensor.FromArray(new[] { 0.3, 0.8 }, 1, 2))]);
        using var s = new Session(g);
        Same(s.Run(uJvp, feeds), s.Run(jvp, feeds), 1e-10);
    }

    [Fact]
    public void CumulativeSumMatchesANaiveLoopAndScanWithoutElementsUsesLength()
    {
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(-1, 2));
        var (carry, sums) = g.Scan((c, x) => new ScanStep([c[0] + x[0]], [c[0] + x[0]]), [g.Constant(Tensor.Zeros(new Shape(2)))], [xs]);
        var (_, powers) = g.Scan((c, _) => new ScanStep([c[0] * 2f], [c[0]]), [g.Scalar(1)], [], length: 5);
        using var s = new Session(g);
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        Assert.Equal(new float[] { 1, 2, 4, 6, 9, 12 }, s.Run(sums[0], new Feeds { [xs] = Tensor.FromArray(data, 3, 2) }).ToArray<float>());
        Assert.Equal(new float[] { 9, 12 }, s.Run(carry[0], new Feeds { [xs] = Tensor.FromArray(data, 3, 2) }).ToArray<float>());
        Assert.Equal(new float[] { 1, 2, 4, 8, 16 }, s.Run(powers[0]).ToArray<float>());
    }

    [Fact]
    public void ACarryThatChangesShapeIsRefused()
    {
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(4, 2));
        var e = Assert.Throws<ShapeMismatchException>(() =>
            g.Scan((c, x) => new ScanStep([Node.Concat([c[0], x[0]], 0)], []), [g.Constant(Tensor.Zeros(new Shape(2)))], [xs], name: "grow"));
        Assert.Contains("grow", e.Message);
        Assert.Contains("carry 0", e.Message);
    }

    [Fact]
    public void ConcurrentRunsOfOneLoopingPlanGiveTheSequentialResults()
    {
        var rnn = Rnn.Create(6);
        var (carry, outputs) = rnn.Scanned();
        var grads = rnn.G.Gradients(carry.Sum() + outputs.Sum(), rnn.H0, rnn.W);
        using var s = new Session(rnn.G);
        var feeds = Enumerable.Range(0, 8).Select(rnn.Feeds).ToArray();
        var sequential = feeds.Select(f => s.Run([outputs, grads[0], grads[1]], f)).ToArray();
        var parallel = new Tensor[feeds.Length][];
        Parallel.For(0, feeds.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var r = s.Run([outputs, grads[0], grads[1]], feeds[i % feeds.Length]);
            if (i >= feeds.Length * 3) parallel[i % feeds.Length] = r;
        });
        for (int i = 0; i < feeds.Length; i++)
            for (int k = 0; k < 3; k++) Same(sequential[i][k], parallel[i][k], 0);
    }
}
