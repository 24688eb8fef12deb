using Nabla.Samples.CustomGradients;

namespace Nabla.Tests.CustomGradients;

/// <summary>
/// Functions with user-given derivatives: the VJP is the user's, forward mode uses the user's JVP or else differentiates
/// the forward function, second order works through the user's rule, and mistakes in a rule are errors naming it.
/// </summary>
public class CustomGradientTests
{
    private static double[] Run(Node y, Node x, params double[] at)
    {
        using var s = new Session(y.Graph);
        return s.Run(y, new Feeds { [x] = Tensor.FromArray(at).Cast(x.DType) }).ToArray<double>();
    }

    [Fact]
    public void StableSoftplusStaysFiniteWhereTheNaiveFormulaOverflows()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3));
        var y = CustomFunctions.Softplus(x);
        Assert.Equal(new[] { 0, 100, Math.Log(2) }, Run(y, x, -100, 100, 0), new Tolerance(1e-6));
        Assert.Equal(new[] { 0, 1, 0.5 }, Run(g.Gradients(y, x)[0]!, x, -100, 100, 0), new Tolerance(1e-6));
        Assert.Equal(double.PositiveInfinity, Run((1.0 + x.Exp()).Log(), x, 100, 0, 0)[0]);
    }

    [Fact]
    public void ReverseForwardAndSecondOrderMatchFiniteDifferences()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(5), DType.Float64);
        var y = CustomFunctions.Softplus(x);
        var feeds = new Feeds { [x] = Tensor.FromArray(new[] { -3.0, -0.7, 0.4, 1.3, 6 }) };
        foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
            Assert.True(GradientCheck.Compute(y, [x], feeds, new GradientCheckOptions { Mode = mode }).MaxRelError < 1e-7, mode.ToString());
        // Second order through the user's rule: d/dx Σ sigmoid(x)·w is sigmoid′(x)·w.
        var w = g.Constant(Tensor.FromArray(new[] { 0.3, -1, 2, 0.5, 1 }));
        var s = (g.Gradients(y, x)[0]! * w).Sum();
        Assert.True(GradientCheck.Compute(s, [x], feeds).MaxRelError < 1e-6);
    }

    [Fact]
    public void WithoutAJvpRuleForwardModeDifferentiatesTheForwardFunction()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2), DType.Float64);
        // The VJP deliberately disagrees with the forward (3x instead of 2x) so the test tells the two modes apart.
        var y = g.CustomGradient([x], a => a[0] * a[0], (a, _, dy) => [dy * 3.0 * a[0]]);
        var ones = g.Constant(Tensor.FromArray(new[] { 1.0, 1 }));
        Assert.Equal(new[] { 6.0, -3 }, Run(g.Gradients(y, x)[0]!, x, 2, -1));
        Assert.Equal(new[] { 4.0, -2 }, Run(g.Jvp(y, [x], [ones]), x, 2, -1));
        var sign = CustomFunctions.StraightThroughSign(x);
        Assert.Equal(new[] { 0.0, 1 }, Run(g.Gradients(sign, x)[0]!, x, 2, -0.5));
        Assert.Equal(new[] { 0.0, 0 }, Run(g.Jvp(sign, [x], [ones]), x, 2, -0.5));
    }

    [Fact]
    public void GradientClippingHappensInsideTheGraph()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(4), DType.Float64);
        var y = (CustomFunctions.ClipGradient(x, -1, 0.5) * g.Constant(Tensor.FromArray(new[] { -3.0, 0.2, 0.4, 9 }))).Sum();
        Assert.Equal(new[] { -1, 0.2, 0.4, 0.5 }, Run(g.Gradients(y, x)[0]!, x, 1, 2, 3, 4));
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, Run(CustomFunctions.ClipGradient(x, -1, 1), x, 1, 2, 3, 4));
    }

    [Fact]
    public void MistakesInARuleNameTheFunction()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var z = g.Placeholder("z", new Shape(2));
        var twoForOne = g.CustomGradient([x], a => a[0].Exp(), (a, _, dy) => [dy, dy], name: "Twice");
        var e = Assert.Throws<GradientException>(() => g.Gradients(twoForOne, x));
        Assert.Contains("Twice", e.Message);
        Assert.Contains("2 gradients for its 1 inputs", e.Message);
        var wrongShape = g.CustomGradient([x], a => a[0].Exp(), (a, _, dy) => [dy.Sum()], name: "Summed");
        Assert.Throws<GradientException>(() => g.Gradients(wrongShape, x));
        // A node the forward function captures without taking it as an input gets no gradient (documented).
        var captured = g.CustomGradient([x], a => a[0] * z, (a, _, dy) => [dy * z]);
        Assert.Null(g.Gradients(captured, z)[0]);
    }

    [Fact]
    public void SampleOpWithItsOwnKernelHasDerivativesOfEveryOrder()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(4), DType.Float64);
        var y = SoftsignOp.Apply(x);
        Assert.Equal(new[] { -0.5, 0, 0.75, 1e6 / (1 + 1e6) }, Run(y, x, -1, 0, 3, 1e6), new Tolerance(1e-15));
        var feeds = new Feeds { [x] = Tensor.FromArray(new[] { -2.0, -0.3, 0.6, 4 }) };
        foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
            Assert.True(GradientCheck.Compute(y, [x], feeds, new GradientCheckOptions { Mode = mode }).MaxRelError < 1e-7);
        var s = g.Gradients(y, x)[0]!.Sum();
        Assert.True(GradientCheck.Compute(s, [x], feeds).MaxRelError < 1e-6);
    }

    private sealed class Tolerance(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol * Math.Max(1, Math.Abs(a));
        public int GetHashCode(double v) => 0;
    }

    /// <summary>
    /// A custom gradient marked exact saves as its forward function: the loaded graph gives the same value and saved
    /// gradient, and a gradient built on it differentiates the forward function (here x³, so 3x²); unmarked, saving is refused.
    /// </summary>
    [Fact]
    public void AnExactCustomGradientSavesAsItsForwardFunction()
    {
        Node Cube(Graph g, Node x, bool exact) =>
            g.CustomGradient([x], a => a[0] * a[0] * a[0], (a, _, dy) => [dy * 3.0 * a[0] * a[0]], name: "cube", exact: exact);
        var path = Path.Combine(Path.GetTempPath(), $"nabla-exact-{Guid.NewGuid():N}.nabla");
        try
        {
            var g = new Graph();
            var x = g.Placeholder("x", new Shape(3), DType.Float64);
            var y = Cube(g, x, exact: true);
            var dx = g.Gradients(y.Sum(), x)[0]!;
            using var s = new Session(g);
            var signature = new Signature(new Dictionary<string, Node> { ["x"] = x }, new Dictionary<string, Node> { ["y"] = y, ["dx"] = dx });
            ModelFile.Save(path, s, new Dictionary<string, Signature> { ["f"] = signature });
            using var m = ModelFile.Load(path);
            var sig = m.Signature("f");
            Assert.Equal("Identity", m.Node(y.Name).OpType);
            double[] at = [-1.5, 0.5, 2];
            var feeds = new Feeds { [sig.Input("x")] = Tensor.FromArray(at) };
            var fresh = m.Graph.Gradients(sig.Output("y").Sum(), sig.Input("x"))[0]!;
            var r = m.Session.Run([sig.Output("y"), sig.Output("dx"), fresh], feeds);
            Assert.Equal(at.Select(v => v * v * v), r[0].ToArray<double>());
            Assert.Equal(at.Select(v => 3 * v * v), r[1].ToArray<double>());
            Assert.Equal(at.Select(v => 3 * v * v), r[2].ToArray<double>(), new Tolerance(1e-12));

            var h = new Graph();
            var hx = h.Placeholder("x", new Shape(3), DType.Float64);
            using var hs = new Session(h);
            var refused = Assert.Throws<ModelFileUnsavableOpException>(() => ModelFile.Save(path, hs,
                new Dictionary<string, Signature> { ["f"] = new(new Dictionary<string, Node> { ["x"] = hx }, new Dictionary<string, Node> { ["y"] = Cube(h, hx, exact: false) }) }));
            Assert.Contains("cube", refused.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
