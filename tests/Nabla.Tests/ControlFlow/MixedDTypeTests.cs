namespace Nabla.Tests.ControlFlow;

/// <summary>
/// Constructs whose results differ in dtype (an int32 counter beside a float value, a float beside a bool), against
/// the same computation unrolled by hand and against formulas: each result keeps its dtype and value, gradients reach
/// the float parts, and integer parts are refused as differentiation targets (as TensorFlow gives them none).
/// </summary>
public class MixedDTypeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void AWhileLoopCountsInInt32BesideAFloatValue(int n)
    {
        var g = new Graph();
        var x0 = g.Placeholder("x0", Shape.Scalar);
        var w = g.Placeholder("w", Shape.Scalar);
        var limit = g.Placeholder("n", Shape.Scalar, DType.Int32);
        var i0 = g.Constant(Tensor.Scalar(0, DType.Int32), "i0");
        var r = g.WhileLoop(v => v[0].Less(limit), v => [v[0] + g.Constant(Tensor.Scalar(1, DType.Int32)), v[1] * w + 1f], [i0, x0], maximumIterations: 10);
        Assert.Equal(DType.Int32, r[0].DType);
        Assert.Equal(DType.Float32, r[1].DType);
        var unrolled = x0;
        for (int k = 0; k < n; k++) unrolled = unrolled * w + 1f;
        using var s = new Session(g);
        var feeds = new Feeds { [x0] = Tensor.Scalar(0.75f), [w] = Tensor.Scalar(1.5f), [limit] = Tensor.Scalar(n, DType.Int32) };
        var got = s.Run([r[0], r[1], .. g.Gradients(r[1], [x0, w], new GradientOptions { ZerosForUnconnected = true })], feeds);
        var want = s.Run([unrolled, .. g.Gradients(unrolled, [x0, w], new GradientOptions { ZerosForUnconnected = true })], feeds);
        Assert.Equal(n, got[0].Scalar<int>());
        Assert.Equal(DType.Int32, got[0].DType);
        Assert.Equal(want[0].Scalar<float>(), got[1].Scalar<float>(), 1e-5f);
        Assert.Equal(want[1].Scalar<float>(), got[2].Scalar<float>(), 1e-5f);
        Assert.Equal(want[2].Scalar<float>(), got[3].Scalar<float>(), 1e-4f);
        var one = g.Scalar(1f);
        Assert.Equal(s.Run(g.Jvp(unrolled, [w], [one]), feeds).Scalar<float>(), s.Run(g.Jvp(r[1], [w], [one]), feeds).Scalar<float>(), 1e-4f);
        // Second order through the loop (the gradient's own Scan carries the int32 counter's zero gradient).
        var zeros = new GradientOptions { ZerosForUnconnected = true };
        var d2 = g.Gradients(g.Gradients(r[1], [w], zeros)[0]!, [w], zeros)[0]!;
        var d2Unrolled = g.Gradients(g.Gradients(unrolled, [w], zeros)[0]!, [w], zeros)[0]!;
        Assert.Equal(s.Run(d2Unrolled, feeds).Scalar<float>(), s.Run(d2, feeds).Scalar<float>(), 1e-3f);
        // The counter is an integer: no derivative with respect to it, and none of it, as TensorFlow gives none.
        Assert.Throws<GradientException>(() => g.Gradients(r[1], [r[0]]));
        Assert.Null(g.Gradients(r[0], [w])[0]);
    }

    [Theory]
    [InlineData(2f)]
    [InlineData(0.5f)]
    [InlineData(-3f)]
    public void ACondReturnsAFloatAndABool(float x)
    {
        var g = new Graph();
        var xv = g.Placeholder("x", Shape.Scalar);
        var r = g.Cond(xv.Greater(0f), () => [xv * xv, xv.Greater(1f)], () => [-xv, xv.Less(-1f)]);
        Assert.Equal([DType.Float32, DType.Bool], r.Select(n => n.DType));
        var dx = g.Gradients(r[0], xv)[0]!;
        var tangent = g.Jvp(r[0], [xv], [g.Scalar(1f)]);
        using var s = new Session(g);
        var v = s.Run([r[0], r[1], dx, tangent], new Feeds { [xv] = Tensor.Scalar(x) });
        Assert.Equal(x > 0 ? x * x : -x, v[0].Scalar<float>());
        Assert.Equal(x > 0 ? x > 1 : x < -1, v[1].Scalar<bool>());
        Assert.Equal(DType.Bool, v[1].DType);
        Assert.Equal(x > 0 ? 2 * x : -1f, v[2].Scalar<float>());
        Assert.Equal(x > 0 ? 2 * x : -1f, v[3].Scalar<float>());
        Assert.Null(g.Gradients(r[1], xv)[0]);
    }

    [Fact]
    public void BranchesThatGiveOneResultTwoDTypesAreRefused()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar);
        var e = Assert.Throws<DTypeMismatchException>(() => g.Cond(x.Greater(0f), () => [x], () => [x.Greater(1f)]));
        Assert.Contains("result 0 is float in the true branch", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AScanCarriesAnInt32CountBesideAFloatState(bool reverse)
    {
        const int T = 4;
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(T, 2));
        var h0 = g.Placeholder("h0", new Shape(2));
        var w = g.Placeholder("w", new Shape(2));
        var one = g.Constant(Tensor.Scalar(1, DType.Int32), "one");
        var (carry, outputs) = g.Scan((c, x) =>
        {
            var count = c[0] + one;
            var h = (c[1] * w + x[0]).Tanh();
            return new ScanStep([count, h], [h, count]);
        }, [g.Constant(Tensor.Scalar(0, DType.Int32), "zero"), h0], [xs], reverse);
        Assert.Equal([DType.Int32, DType.Float32], carry.Select(n => n.DType));
        Assert.Equal([DType.Float32, DType.Int32], outputs.Select(n => n.DType));

        // The same recurrence unrolled by hand, row by row in the scan's order.
        var h = h0;
        var rows = new Node[T];
        for (int k = 0; k < T; k++)
        {
            int t = reverse ? T - 1 - k : k;
            h = (h * w + xs.Slice([t, 0], [1, 2]).Reshape(2)).Tanh();
            rows[t] = h;
        }
        var stacked = Node.Concat([.. rows.Select(row => row.Reshape(1, 2))], 0);
        var loss = outputs[0].Square().Sum() + carry[1].Sum();
        var want = stacked.Square().Sum() + h.Sum();

        using var s = new Session(g);
        var feeds = new Feeds
        {
            [xs] = Tensor.RandomNormal(new Shape(T, 2), seed: 5),
            [h0] = Tensor.FromArray(new float[] { 0.3f, -0.2f }, 2),
            [w] = Tensor.FromArray(new float[] { 0.8f, 1.1f }, 2),
        };
        var got = s.Run([carry[0], outputs[1], loss, .. g.Gradients(loss, [w, h0, xs])], feeds);
        var expected = s.Run([want, .. g.Gradients(want, [w, h0, xs])], feeds);
        Assert.Equal(T, got[0].Scalar<int>());
        Assert.Equal(reverse ? [4, 3, 2, 1] : new[] { 1, 2, 3, 4 }, got[1].ToArray<int>());
        Assert.Equal(expected[0].Scalar<float>(), got[2].Scalar<float>(), 1e-5f);
        for (int k = 1; k < 4; k++)
            Assert.Equal(expected[k].ToArray<float>().Select(v => (double)v), got[k + 2].ToArray<float>().Select(v => (double)v), new Tolerance(1e-5));
        Assert.Throws<GradientException>(() => g.Gradients(loss, [carry[0]]));
    }

    [Fact]
    public void IntegerAndBoolResultsPackWithoutFloats()
    {
        var g = new Graph();
        var n = g.Placeholder("n", Shape.Scalar, DType.Int32);
        var r = g.Cond(n.Greater(g.Constant(Tensor.Scalar(0, DType.Int32))), () => [n * n, n.Greater(g.Constant(Tensor.Scalar(5, DType.Int32)))], () => [-n, n.Less(g.Constant(Tensor.Scalar(-5, DType.Int32)))]);
        using var s = new Session(g);
        var v = s.Run(r, new Feeds { [n] = Tensor.Scalar(7, DType.Int32) });
        Assert.Equal(49, v[0].Scalar<int>());
        Assert.True(v[1].Scalar<bool>());
    }

    [Fact]
    public void AnInt64BeyondTwoToThe53BesideAFloatIsATypedError()
    {
        var g = new Graph();
        var big = g.Placeholder("big", Shape.Scalar, DType.Int64);
        var x = g.Placeholder("x", Shape.Scalar);
        var r = g.Cond(x.Greater(0f), () => [big, x], () => [big, -x]);
        using var s = new Session(g);
        var feeds = new Feeds { [big] = Tensor.Scalar(1L << 60, DType.Int64), [x] = Tensor.Scalar(1f) };
        var e = Assert.ThrowsAny<NablaException>(() => s.Run(r[0], feeds));
        Assert.Contains("beyond 2^53", e.Message + e.InnerException?.Message);
        feeds[big] = Tensor.Scalar(1L << 40, DType.Int64);
        Assert.Equal(1L << 40, s.Run(r[0], feeds).Scalar<long>());
    }
}
