namespace Nabla.Tests.ControlFlow;

/// <summary>
/// Cond against the branch built straight into the graph (values, gradients, JVPs) and against finite differences
/// (first and second order); only the taken branch runs; branches of different shapes are refused.
/// </summary>
public class CondTests
{
    private static readonly double[] Positive = [0.5, 1.5, -0.25], Negative = [-0.5, 0.2, -1.5];

    /// <summary>y = x·w·x when Σx &gt; 0, else sin(x)·w: w is a captured variable, x the fed input.</summary>
    private static (Graph G, Node X, Node W, Node Y) Build()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), DType.Float64);
        var w = g.Variable("w", Tensor.FromArray(new[] { 2.0, -1, 0.5 }));
        var y = g.Cond(x.Sum().Greater(0.0), () => x * w * x, () => x.Sin() * w);
        return (g, x, w, y);
    }

    private static Feeds At(Node x, double[] v) => new() { [x] = Tensor.FromArray(v) };

    [Fact]
    public void ValuesAndGradientsEqualThoseOfTheTakenBranchBuiltDirectly()
    {
        var (g, x, w, y) = Build();
        var taken = x * w * x;
        var other = x.Sin() * w;
        using var s = new Session(g);
        foreach (var (at, branch) in new[] { (Positive, taken), (Negative, other) })
        {
            var feeds = At(x, at);
            Assert.Equal(s.Run(branch, feeds).ToArray<double>(), s.Run(y, feeds).ToArray<double>());
            var got = s.Run(g.Gradients(y.Sum(), x, w), feeds);
            var want = s.Run(g.Gradients(branch.Sum(), x, w), feeds);
            for (int i = 0; i < 2; i++) Assert.Equal(want[i].ToArray<double>(), got[i].ToArray<double>(), new Tolerance(1e-12));
            var t = g.Constant(Tensor.FromArray(new[] { 0.3, -0.7, 1.1 }));
            Assert.Equal(s.Run(g.Jvp(branch, [x], [t]), feeds).ToArray<double>(), s.Run(g.Jvp(y, [x], [t]), feeds).ToArray<double>(), new Tolerance(1e-12));
        }
        // A naive reference for one value: x·w·x at the positive point.
        Assert.Equal(new[] { 0.5, -2.25, 0.03125 }, s.Run(y, At(x, Positive)).ToArray<double>(), new Tolerance(1e-15));
    }

    [Fact]
    public void FirstAndSecondDerivativesMatchFiniteDifferencesOnBothBranches()
    {
        var (g, x, w, y) = Build();
        var secondOrder = (g.Gradients(y.Sum(), x)[0]! * w).Sum();
        foreach (var at in new[] { Positive, Negative })
        {
            foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
                Assert.True(GradientCheck.Compute(y, [x], At(x, at), new GradientCheckOptions { Mode = mode }).MaxRelError < 1e-7, mode.ToString());
            Assert.True(GradientCheck.Compute(secondOrder, [x], At(x, at)).MaxRelError < 1e-6);
        }
    }

    [Fact]
    public void OnlyTheTakenBranchRuns()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), DType.Float64);
        var badIndex = g.Constant(Tensor.FromArray(new[] { 99 }));
        var y = g.Cond(x.Sum().Greater(0.0), () => x * 2.0, () => x.Gather(badIndex).Sum() * x);
        using var s = new Session(g);
        Assert.Equal(new[] { 1.0, 3, -0.5 }, s.Run(y, At(x, Positive)).ToArray<double>());
        Assert.ThrowsAny<NablaException>(() => s.Run(y, At(x, Negative)));
    }

    [Fact]
    public void CondsNestAndSeveralResultsComeBackInOrder()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar, DType.Float64);
        var r = g.Cond(x.Greater(0.0),
            () => [g.Cond(x.Greater(1.0), () => x * 10.0, () => x * 100.0), x + 1.0],
            () => [-x, x - 1.0]);
        using var s = new Session(g);
        foreach (var (v, want0, want1) in new[] { (2.0, 20.0, 3.0), (0.5, 50.0, 1.5), (-3.0, 3.0, -4.0) })
        {
            var got = s.Run(r, new Feeds { [x] = Tensor.Scalar(v, DType.Float64) });
            Assert.Equal(want0, got[0].Scalar<double>(), 12);
            Assert.Equal(want1, got[1].Scalar<double>(), 12);
        }
        var dx = g.Gradients(r[0] + r[1], x)[0]!;
        Assert.Equal(101.0, s.Run(dx, new Feeds { [x] = Tensor.Scalar(0.5, DType.Float64) }).Scalar<double>(), 12);
    }

    [Fact]
    public void BranchesOfDifferentShapesAndNonBoolPredicatesAreRefused()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3));
        var e = Assert.Throws<ShapeMismatchException>(() => g.Cond(x.Sum().Greater(0f), () => x, () => x.Sum(), "pick"));
        Assert.Contains("pick", e.Message);
        Assert.Throws<DTypeMismatchException>(() => g.Cond(x.Sum(), () => x, () => x));
    }
}
