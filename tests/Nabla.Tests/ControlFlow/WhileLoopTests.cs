namespace Nabla.Tests.ControlFlow;

/// <summary>
/// WhileLoop against the loop unrolled by hand for the trip count a plain C# loop finds (values, gradients, JVPs),
/// against finite differences (first and second order), at 0 and 1 iterations, data-dependent trip counts, a loop
/// stopped by maximumIterations, concurrent runs, and the refusals (no bound in reverse mode, changing shapes).
/// </summary>
public class WhileLoopTests
{
    /// <summary>Newton's iteration for √a: x ← (x + a/x)/2 while |x² − a| &gt; 1e-9.</summary>
    private static Node NewtonStep(Node x, Node a) => (x + a / x) * 0.5;

    private static Node[] Newton(Graph g, Node x0, Node a, int? maximumIterations = 50) =>
        g.WhileLoop(v => (v[0] * v[0] - a).Abs().Greater(1e-9), v => [NewtonStep(v[0], a)], [x0], maximumIterations);

    /// <summary>The trip count of the same iteration as a plain loop (the independent reference).</summary>
    private static int NewtonTrips(double x, double a, int maximum = 50)
    {
        int n = 0;
        while (n < maximum && Math.Abs(x * x - a) > 1e-9) { x = (x + a / x) / 2; n++; }
        return n;
    }

    private static Feeds Scalars(Node x0, double x, Node a, double v) =>
        new() { [x0] = Tensor.Scalar(x, DType.Float64), [a] = Tensor.Scalar(v, DType.Float64) };

    [Theory]
    [InlineData(1.0, 1.0)]   // already converged: 0 iterations
    [InlineData(2.0, 4.0001)] // a couple of iterations
    [InlineData(1.0, 2.0)]
    [InlineData(3.0, 1000.0)] // many iterations
    public void NewtonMatchesTheUnrolledIterationForItsDataDependentTripCount(double start, double a)
    {
        var g = new Graph();
        var x0 = g.Placeholder("x0", Shape.Scalar, DType.Float64);
        var av = g.Placeholder("a", Shape.Scalar, DType.Float64);
        var root = Newton(g, x0, av)[0];
        int trips = NewtonTrips(start, a);
        var unrolled = x0;
        for (int i = 0; i < trips; i++) unrolled = NewtonStep(unrolled, av);
        using var s = new Session(g);
        var feeds = Scalars(x0, start, av, a);
        Assert.Equal(s.Run(unrolled, feeds).Scalar<double>(), s.Run(root, feeds).Scalar<double>());
        Assert.Equal(Math.Sqrt(a), s.Run(root, feeds).Scalar<double>(), 1e-9);
        var got = s.Run(g.Gradients(root, [x0, av], new GradientOptions { ZerosForUnconnected = true }), feeds);
        var want = s.Run(g.Gradients(unrolled, [x0, av], new GradientOptions { ZerosForUnconnected = true }), feeds);
        for (int i = 0; i < 2; i++) Assert.Equal(want[i].Scalar<double>(), got[i].Scalar<double>(), 1e-12);
        var one = g.Constant(Tensor.Scalar(1.0, DType.Float64));
        Assert.Equal(s.Run(g.Jvp(unrolled, [av], [one]), feeds).Scalar<double>(), s.Run(g.Jvp(root, [av], [one]), feeds).Scalar<double>(), 1e-12);
    }

    [Fact]
    public void ZeroAndOneIterationsPassValuesAndGradientsThrough()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2), DType.Float64);
        var n = g.Placeholder("n", Shape.Scalar, DType.Float64);
        var r = g.WhileLoop(v => v[0].Less(n), v => [v[0] + 1.0, v[1].Sin() * 3.0], [g.Scalar(0, DType.Float64), x], maximumIterations: 10);
        var dx = g.Gradients(r[1].Sum(), x)[0]!;
        using var s = new Session(g);
        var xv = Tensor.FromArray(new[] { 0.4, -1.2 });
        var zero = s.Run([r[1], dx], new Feeds { [x] = xv, [n] = Tensor.Scalar(0.0, DType.Float64) });
        Assert.Equal(new[] { 0.4, -1.2 }, zero[0].ToArray<double>());
        Assert.Equal(new[] { 1.0, 1 }, zero[1].ToArray<double>());
        var once = s.Run([r[1], dx], new Feeds { [x] = xv, [n] = Tensor.Scalar(1.0, DType.Float64) });
        Assert.Equal(new[] { 3 * Math.Sin(0.4), 3 * Math.Sin(-1.2) }, once[0].ToArray<double>(), new Tolerance(1e-15));
        Assert.Equal(new[] { 3 * Math.Cos(0.4), 3 * Math.Cos(-1.2) }, once[1].ToArray<double>(), new Tolerance(1e-15));
    }

    [Fact]
    public void ALoopStoppedByMaximumIterationsEqualsThatManyStepsUnrolled()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), DType.Float64);
        var w = g.Variable("w", Tensor.FromArray(new[] { 0.9, -0.4, 0.3 }));
        Node Step(Node v) => (v * w).Tanh() + v * 0.5;
        var looped = g.WhileLoop(v => v[0].Sum().Less(1e9), v => [Step(v[0])], [x], maximumIterations: 4)[0];
        var unrolled = x;
        for (int i = 0; i < 4; i++) unrolled = Step(unrolled);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(new[] { 0.3, -0.8, 1.7 }) };
        Assert.Equal(s.Run(unrolled, feeds).ToArray<double>(), s.Run(looped, feeds).ToArray<double>());
        var got = s.Run(g.Gradients((looped * looped).Sum(), x, w), feeds);
        var want = s.Run(g.Gradients((unrolled * unrolled).Sum(), x, w), feeds);
        for (int i = 0; i < 2; i++) Assert.Equal(want[i].ToArray<double>(), got[i].ToArray<double>(), new Tolerance(1e-12));
    }

    [Fact]
    public void FirstAndSecondDerivativesMatchFiniteDifferences()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), DType.Float64);
        var k = g.Placeholder("k", new Shape(3), DType.Float64);
        var r = g.WhileLoop(v => v[0].Less(3.0), v => [v[0] + 1.0, v[1] * k.Sin() + v[1] * v[1] * 0.1], [g.Scalar(0, DType.Float64), x], maximumIterations: 5);
        var feeds = new Feeds { [x] = Tensor.FromArray(new[] { 0.3, -0.5, 0.9 }), [k] = Tensor.FromArray(new[] { 1.1, 0.4, -0.7 }) };
        foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
            Assert.True(GradientCheck.Compute(r[1], [x, k], feeds, new GradientCheckOptions { Mode = mode }).MaxRelError < 1e-7, mode.ToString());
        var secondOrder = (g.Gradients(r[1].Sum(), x)[0]! * k).Sum();
        Assert.True(GradientCheck.Compute(secondOrder, [x, k], feeds).MaxRelError < 1e-6);
    }

    [Fact]
    public void ReverseModeWithoutABoundIsRefusedButForwardModeWorks()
    {
        var g = new Graph();
        var x0 = g.Placeholder("x0", Shape.Scalar, DType.Float64);
        var a = g.Placeholder("a", Shape.Scalar, DType.Float64);
        var root = Newton(g, x0, a, maximumIterations: null)[0];
        var e = Assert.Throws<GradientException>(() => g.Gradients(root, a));
        Assert.Contains("maximumIterations", e.Message);
        using var s = new Session(g);
        var dRoot = s.Run(g.Jvp(root, [a], [g.Constant(Tensor.Scalar(1.0, DType.Float64))]), Scalars(x0, 1, a, 9)).Scalar<double>();
        Assert.Equal(1 / (2 * Math.Sqrt(9)), dRoot, 1e-6); // d√a/da, reached as the iteration converges
    }

    [Fact]
    public void LoopVariablesThatChangeShapeAreRefused()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var e = Assert.Throws<ShapeMismatchException>(() =>
            g.WhileLoop(v => v[0].Sum().Less(10f), v => [Node.Concat([v[0], v[0]], 0)], [x], name: "doubling"));
        Assert.Contains("doubling", e.Message);
        Assert.Contains("keep their shape", e.Message);
    }

    [Fact]
    public void ConcurrentRunsWithDifferentTripCountsGiveTheSequentialResults()
    {
        var g = new Graph();
        var x0 = g.Placeholder("x0", Shape.Scalar, DType.Float64);
        var a = g.Placeholder("a", Shape.Scalar, DType.Float64);
        var root = Newton(g, x0, a)[0];
        var da = g.Gradients(root, a)[0]!;
        using var s = new Session(g);
        double[] values = [2, 10, 1e4, 0.5, 3, 77];
        var results = new double[values.Length * 8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            results[i] = [.. s.Run([root, da], Scalars(x0, 1, a, values[i % values.Length])).Select(t => t.Scalar<double>())]);
        for (int i = 0; i < results.Length; i++)
        {
            double v = values[i % values.Length];
            Assert.Equal(Math.Sqrt(v), results[i][0], 1e-9);
            Assert.Equal(1 / (2 * Math.Sqrt(v)), results[i][1], 1e-6);
        }
    }
}
