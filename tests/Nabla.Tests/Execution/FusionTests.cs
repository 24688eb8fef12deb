using Nabla.Execution;

namespace Nabla.Tests.Execution;

public class FusionTests
{
    private static (Tensor[] Fused, Tensor[] Unfused, int Groups) RunBoth(Graph g, Node?[] fetches, Feeds feeds)
    {
        using var fused = new Session(g);
        using var unfused = new Session(g) { FuseElementwise = false };
        var a = fused.Run(fetches, feeds);
        var b = unfused.Run(fetches, feeds);
        int groups = PlanBuilder.Build(fused, fetches!, feeds).Groups.Length;
        return (a, b, groups);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            if (!(Math.Abs(e[i] - a[i]) <= tolerance * (1 + Math.Abs(e[i])))) Assert.Fail($"element {i}: {a[i]} vs {e[i]}");
    }

    [Theory]
    [InlineData(5_000, DType.Float32)]
    [InlineData(600_001, DType.Float32)] // split over cores, ragged last slice
    [InlineData(70_001, DType.Float64)]
    public void TanhChainWithGradientMatchesUnfused(int n, DType dtype)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([n]), dtype);
        var y = (x.Tanh() * x + x).Sum();
        var dx = g.Gradients(y, x)[0];
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([n]), 5, dtype: dtype) };
        var (fused, unfused, groups) = RunBoth(g, [y, dx], feeds);
        Assert.True(groups > 0, "the plan should contain a fused group");
        AssertClose(unfused[0], fused[0], 1e-5);
        AssertClose(unfused[1], fused[1], 1e-6);
    }

    [Fact]
    public void ScalarOperandsAndIntermediateFetchesMatchUnfused()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([64, 100]));
        var s = g.Placeholder("s", Shape.Scalar);
        var mid = (x * s).Exp();
        var z = (mid - 1.5).Relu() * s + mid.Sigmoid();
        var feeds = new Feeds { [x] = Tensor.RandomUniform(new Shape([64, 100]), 6, -2, 2), [s] = 0.75f };
        var (fused, unfused, groups) = RunBoth(g, [z, mid, z.Sum()], feeds);
        Assert.True(groups > 0);
        for (int i = 0; i < 3; i++) AssertClose(unfused[i], fused[i], 1e-5);
    }

    [Theory]
    [InlineData(new[] { 6, 1, 1 }, DType.Float32)]     // a convolution bias, broadcast over batch and pixels
    [InlineData(new[] { 3, 1, 1 }, DType.Float64)]
    [InlineData(new[] { 7, 6, 1, 1 }, DType.Float32)]  // batch and channel, broadcast over pixels
    [InlineData(new[] { 6, 9, 11 }, DType.Float32)]    // broadcast over the batch only
    [InlineData(new[] { 9, 11 }, DType.Float32)]        // runs of one: copied, as a dense layer's bias
    public void BiasBroadcastInRunsMatchesUnfused(int[] biasShape, DType dtype)
    {
        var g = new Graph();
        int channels = biasShape.Length >= 3 ? biasShape[^3] : 6;
        var shape = new Shape([7, channels, 9, 11]);
        var x = g.Placeholder("x", shape, dtype);
        var b = g.Placeholder("b", new Shape(biasShape), dtype);
        var y = ((x + b).Relu() * b).Sum();
        var grads = g.Gradients(y, x, b);
        var feeds = new Feeds
        {
            [x] = Tensor.RandomNormal(shape, 7, dtype: dtype),
            [b] = Tensor.RandomNormal(new Shape(biasShape), 8, dtype: dtype),
        };
        var (fused, unfused, _) = RunBoth(g, [y, grads[0], grads[1]], feeds);
        using var session = new Session(g);
        var plan = PlanBuilder.Build(session, [y, grads[0]!, grads[1]!], feeds);
        Assert.Contains(plan.Groups, group => group.RunCount > 0);
        for (int i = 0; i < 3; i++) AssertClose(unfused[i], fused[i], dtype == DType.Float32 ? 1e-5 : 1e-12);
    }

    [Theory]
    [InlineData(new[] { 6, 1, 1 }, new[] { 4, 6, 5, 5 }, 25, 6)]
    [InlineData(new[] { 4, 6, 1, 1 }, new[] { 4, 6, 5, 5 }, 25, 24)]
    [InlineData(new[] { 6, 5, 5 }, new[] { 4, 6, 5, 5 }, 1, 150)]
    [InlineData(new[] { 4, 1, 1, 1 }, new[] { 4, 6, 5, 5 }, 150, 4)]
    [InlineData(new[] { 256 }, new[] { 64, 256 }, 1, 256)]
    public void RunsDescribeBlockBroadcasts(int[] operand, int[] output, int inner, int outer) =>
        Assert.Equal((inner, outer), Fusion.Runs(new Shape(operand), new Shape(output)));

    [Theory]
    [InlineData(new[] { 6, 1, 5 }, new[] { 4, 6, 5, 5 })] // two separate blocks
    [InlineData(new[] { 1, 1, 1 }, new[] { 4, 6, 5, 5 })] // a scalar
    [InlineData(new[] { 4, 6, 5, 5 }, new[] { 4, 6, 5, 5 })] // no broadcast
    [InlineData(new[] { 6, 1 }, new[] { 4, 6, 5 })]          // runs of 5: too short to fill
    public void RunsRejectOtherShapes(int[] operand, int[] output) =>
        Assert.Null(Fusion.Runs(new Shape(operand), new Shape(output)));

    [Fact]
    public void PlanStepCountCountsEveryFusedOp()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([5000]));
        var y = (x.Tanh() * x + x).Sum();
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.Zeros(new Shape([5000])) };
        Assert.Single(PlanBuilder.Build(s, [y], feeds).Steps);
        Assert.Equal(4, s.PlanStepCount([y], feeds));
    }

    [Fact]
    public void ALargeSingleStepRunsSplitOverCoresLikeUnfused()
    {
        const int n = 600_001;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([n]));
        var y = x.Sin();
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([n]), 9) };
        var (fused, unfused, groups) = RunBoth(g, [y], feeds);
        Assert.Equal(1, groups);
        AssertClose(unfused[0], fused[0], 0);
    }

    [Fact]
    public void SgdUpdatesVariablesInPlaceLikeUnfused()
    {
        var g = new Graph();
        var w = g.Variable("w", Tensor.RandomNormal(new Shape([50, 40]), 7));
        var x = g.Placeholder("x", new Shape([50, 40]));
        var loss = (w * x).Tanh().Sum();
        var grad = g.Gradients(loss, w)[0]!;
        var train = g.Group(w.Assign(w - 0.1 * grad));
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([50, 40]), 8) };
        using var fused = new Session(g);
        using var unfused = new Session(g) { FuseElementwise = false };
        for (int step = 0; step < 3; step++)
        {
            var a = fused.Run([loss, train], feeds);
            var b = unfused.Run([loss, train], feeds);
            AssertClose(b[0], a[0], 1e-5);
        }
        Assert.True(PlanBuilder.Build(fused, [loss, train], feeds).Groups.Length > 0);
        AssertClose(unfused.GetVariable(w), fused.GetVariable(w), 1e-6);
    }

    [Fact]
    public void ConcurrentRunsOfAFusedPlanAgree()
    {
        const int n = 600_000;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([n]));
        var y = (x.Tanh() * x + x).Sum();
        var dx = g.Gradients(y, x)[0];
        using var session = new Session(g);
        var inputs = Enumerable.Range(0, 4).Select(i => Tensor.RandomNormal(new Shape([n]), 20 + i)).ToArray();
        var expected = inputs.Select(t => session.Run([y, dx], new Feeds { [x] = t })).ToArray();
        Parallel.For(0, 16, i =>
        {
            var got = session.Run([y, dx], new Feeds { [x] = inputs[i % 4] });
            AssertClose(expected[i % 4][0], got[0], 0);
            AssertClose(expected[i % 4][1], got[1], 0);
        });
    }

    [Fact]
    public void CopiesAtTheEndsOfARunAreViewsNotGroupMembers()
    {
        const int n = 4096;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(n), DType.Float64);
        var s = x.Reshape(64, 64).Softmax();                   // not fusable: the run starts after it
        var lead = s.SumTo(s);                                 // a copy starting the elementwise run
        var body = (lead * lead + lead).Exp();
        var trail = body.BroadcastTo(new Shape(1, 64, 64));    // a copy ending it: same size, one more axis
        var y = trail.Sum([2]);                                // not fusable: the run ends before it
        var xs = Tensor.RandomNormal(new Shape(n), 4, dtype: DType.Float64);
        using var session = new Session(g);

        var plan = PlanBuilder.Build(session, [y], new Feeds { [x] = xs });
        var got = session.Run(y, new Feeds { [x] = xs }).ToArray<double>();

        Assert.DoesNotContain(plan.Groups.SelectMany(group => group.Members), m => m.Kind == FusedKind.Copy);
        Assert.DoesNotContain(plan.Steps, step => step.Op.Type is "SumTo" or "BroadcastTo");
        Assert.Single(plan.Groups);
        var xv = xs.ToArray<double>();
        for (int row = 0; row < 64; row++)
        {
            double max = xv.Skip(row * 64).Take(64).Max(), sum = xv.Skip(row * 64).Take(64).Sum(v => Math.Exp(v - max)), expected = 0;
            for (int j = 0; j < 64; j++)
            {
                double p = Math.Exp(xv[row * 64 + j] - max) / sum;
                expected += Math.Exp(p * p + p);
            }
            Assert.Equal(expected, got[row], 1e-10);
        }
    }
}
