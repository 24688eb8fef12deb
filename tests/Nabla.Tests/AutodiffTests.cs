namespace Nabla.Tests;

public class AutodiffTests
{
    private static double Eval(Graph g, Node n, Feeds? feeds = null)
    {
        using var s = new Session(g);
        return s.Run(n, feeds).Scalar<double>();
    }

    [Fact]
    public void BroadcastingGradientsTakeTheirOperandsShapes()
    {
        var g = new Graph();
        var a = g.Placeholder("a", new Shape(3, 1), DType.Float64);
        var b = g.Placeholder("b", new Shape(1, 4), DType.Float64);
        var y = a + b;
        Assert.Equal(new Shape(3, 4), y.Shape);
        var grads = g.Gradients(y, a, b);
        Assert.Equal(new Shape(3, 1), grads[0]!.Shape);
        Assert.Equal(new Shape(1, 4), grads[1]!.Shape);
        using var s = new Session(g);
        var feeds = new Feeds { [a] = Tensor.FromArray(new double[] { 1, 2, 3 }, 3, 1), [b] = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 1, 4) };
        var r = s.Run(grads, feeds);
        Assert.Equal([4.0, 4, 4], r[0].ToArray<double>());
        Assert.Equal([3.0, 3, 3, 3], r[1].ToArray<double>());
    }

    [Fact]
    public void ThirdDerivativeOfSinIsMinusCos()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar, DType.Float64);
        var d1 = g.Gradients(x.Sin(), x)[0]!;
        var d2 = g.Gradients(d1, x)[0]!;
        var d3 = g.Gradients(d2, x)[0]!;
        foreach (var v in new[] { -1.3, 0.0, 0.4, 2.5 })
        {
            var feeds = new Feeds { [x] = v };
            Assert.Equal(Math.Cos(v), Eval(g, d1, feeds), 12);
            Assert.Equal(-Math.Sin(v), Eval(g, d2, feeds), 12);
            Assert.Equal(-Math.Cos(v), Eval(g, d3, feeds), 12);
        }
    }

    private static Node Rosenbrock(Node p)
    {
        var x = p.Slice([0], [1]).Reshape();
        var y = p.Slice([1], [1]).Reshape();
        return (1.0 - x).Square() + 100.0 * (y - x.Square()).Square();
    }

    [Fact]
    public void HessianOfRosenbrockAtTheMinimum()
    {
        var g = new Graph();
        var p = g.Placeholder("p", new Shape(2), DType.Float64);
        var h = g.Hessian(Rosenbrock(p), p);
        Assert.Equal(new Shape(2, 2), h.Shape);
        using var s = new Session(g);
        var value = s.Run(h, new Feeds { [p] = Tensor.FromArray(new[] { 1.0, 1.0 }) });
        Assert.Equal([802.0, -400, -400, 200], value.ToArray<double>());
    }

    [Fact]
    public void HessianVectorProductEqualsHessianTimesVector()
    {
        var g = new Graph();
        var p = g.Placeholder("p", new Shape(2), DType.Float64);
        var f = Rosenbrock(p);
        var v = g.Constant(Tensor.FromArray(new[] { 0.3, -1.1 }));
        var hvp = g.HessianVectorProduct(f, p, v);
        var h = g.Hessian(f, p);
        using var s = new Session(g);
        var feeds = new Feeds { [p] = Tensor.FromArray(new[] { -0.5, 0.7 }) };
        var H = s.Run(h, feeds);
        var expected = new[] { H[0, 0] * 0.3 + H[0, 1] * -1.1, H[1, 0] * 0.3 + H[1, 1] * -1.1 };
        var actual = s.Run(hvp, feeds).ToArray<double>();
        Assert.Equal(expected[0], actual[0], 9);
        Assert.Equal(expected[1], actual[1], 9);
    }

    [Fact]
    public void JacobianByRowsEqualsJacobianByColumns()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), DType.Float64);
        var w = g.Constant(Tensor.FromArray(new[] { 1.0, 2, -1, 0.5, 3, 1 }, 2, 3));
        var y = w.MatMul(x.Reshape(3, 1)).Reshape(2).Tanh() * x.Slice([0], [2]);
        var rows = g.Jacobian(y, x, JacobianMode.Reverse);
        var cols = g.Jacobian(y, x, JacobianMode.Forward);
        Assert.Equal(new Shape(2, 3), rows.Shape);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(new[] { 0.2, -0.4, 0.9 }) };
        var r = s.Run([rows, cols], feeds);
        var a = r[0].ToArray<double>(); var b = r[1].ToArray<double>();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 12);
        Assert.Contains(a, v => Math.Abs(v) > 0.1);
    }

    [Fact]
    public void TotalAndPartialDerivativesAsInTensorFlow()
    {
        // a = 0, b = 2a: d(a + b)/d[a, b] is [3, 1] in total, [1, 1] with both stopped.
        var g = new Graph();
        var a = g.Scalar(0);
        var b = 2.0 * a;
        var total = g.Gradients(a + b, a, b);
        var partial = g.Gradients(a + b, [a, b], new GradientOptions { StopGradients = [a, b] });
        using var s = new Session(g);
        Assert.Equal([3f, 1f], s.Run(total).Select(t => t.Scalar<float>()));
        Assert.Equal([1f, 1f], s.Run(partial).Select(t => t.Scalar<float>()));
    }

    [Fact]
    public void StopGradientBlocksOnePath()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar);
        var y = x * x.StopGradient();
        var dx = g.Gradients(y, x)[0]!;
        Assert.Equal(3f, new Session(g).Run(dx, new Feeds { [x] = 3f }).Scalar<float>());
    }

    [Fact]
    public void UnconnectedGivesNullOrZeros()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var z = g.Placeholder("z", new Shape(2));
        var y = x.Square().Sum();
        Assert.Null(g.Gradients(y, z)[0]);
        var zeros = g.Gradients(y, [z], new GradientOptions { ZerosForUnconnected = true })[0]!;
        Assert.Equal([0f, 0f], new Session(g).Run(zeros).ToArray<float>());
        var ex = Assert.Throws<InvalidGraphArgumentException>(() => new Session(g).Run(g.Gradients(y, z)));
        Assert.Contains("ZerosForUnconnected", ex.Message);
    }

    [Fact]
    public void PathsAreSummed()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar, DType.Float64);
        var y = g.Placeholder("y", Shape.Scalar, DType.Float64);
        var f = x * y + x;
        var grads = g.Gradients(f, x, y);
        using var s = new Session(g);
        var r = s.Run(grads, new Feeds { [x] = 3.0, [y] = 2.0 });
        Assert.Equal(3.0, r[0].Scalar<double>());
        Assert.Equal(3.0, r[1].Scalar<double>());
    }

    [Fact]
    public void ForwardModeGivesTheDirectionalDerivative()
    {
        var g = new Graph();
        var a = g.Placeholder("a", Shape.Scalar, DType.Float64);
        var b = g.Placeholder("b", Shape.Scalar, DType.Float64);
        var y = a * b + a.Sin();
        var da = g.Jvp(y, [a, b], [g.Scalar(1, DType.Float64), g.Scalar(0, DType.Float64)]);
        var db = g.Jvp(y, [a, b], [g.Scalar(0, DType.Float64), g.Scalar(1, DType.Float64)]);
        using var s = new Session(g);
        var r = s.Run([da, db], new Feeds { [a] = 0.5, [b] = -2.0 });
        Assert.Equal(-2 + Math.Cos(0.5), r[0].Scalar<double>(), 12);
        Assert.Equal(0.5, r[1].Scalar<double>(), 12);
    }

    [Fact]
    public void DeepChainsNeedNoRecursion()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar, DType.Float64);
        var y = x;
        for (int i = 0; i < 20_000; i++) y = y * 1.0001 + 0.0;
        var dx = g.Gradients(y, x)[0]!;
        using var s = new Session(g);
        Assert.Equal(Math.Pow(1.0001, 20_000), s.Run(dx, new Feeds { [x] = 1.0 }).Scalar<double>(), 6);
    }

    [Fact]
    public void GradientOfTheMeanOverAnUnknownBatch()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 2));
        var dx = g.Gradients(x.Square().Mean(), x)[0]!;
        using var s = new Session(g);
        var r = s.Run(dx, new Feeds { [x] = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2) });
        Assert.Equal([0.5f, 1f, 1.5f, 2f], r.ToArray<float>());
    }
}
