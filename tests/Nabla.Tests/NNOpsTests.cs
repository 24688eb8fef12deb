namespace Nabla.Tests;

public class SoftmaxTests
{
    private static Tensor Random(int seed, params int[] dims) => Tensor.RandomNormal(new Shape(dims), seed, 0, 2, DType.Float64);

    [Fact]
    public void SoftmaxRowsSumToOneAndMatchTheFormula()
    {
        var x = Random(1, 3, 5);
        var y = Evaluate.Run(xs => xs[0].Softmax(), x);
        for (int i = 0; i < 3; i++)
        {
            double sum = 0, norm = 0;
            for (int k = 0; k < 5; k++) norm += Math.Exp(x[i, k]);
            for (int k = 0; k < 5; k++)
            {
                sum += y[i, k];
                Assert.Equal(Math.Exp(x[i, k]) / norm, y[i, k], 12);
            }
            Assert.Equal(1.0, sum, 12);
        }
    }

    [Fact]
    public void SoftmaxAlongAMiddleAxisMatchesTheLastAxisOfTheTranspose()
    {
        var x = Random(2, 2, 4, 3);
        var a = Evaluate.Run(xs => xs[0].Softmax(1), x);
        var b = Evaluate.Run(xs => xs[0].Transpose(0, 2, 1).Softmax().Transpose(0, 2, 1), x);
        Assert.Equal(b.ToArray<double>(), a.ToArray<double>(), (p, q) => Math.Abs(p - q) < 1e-12);
        var l = Evaluate.Run(xs => xs[0].LogSoftmax(1), x);
        Assert.Equal(b.ToArray<double>().Select(v => Math.Log(v)), l.ToArray<double>(), (p, q) => Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public void LogSoftmaxIsStableForHugeLogits()
    {
        var x = Tensor.FromArray(new float[] { 1000, 0, -1000 }, 1, 3);
        var y = Evaluate.Run(xs => xs[0].LogSoftmax(), x).ToArray<float>();
        Assert.Equal([0f, -1000f, -2000f], y);
        var p = Evaluate.Run(xs => xs[0].Softmax(), x).ToArray<float>();
        Assert.Equal([1f, 0f, 0f], p);
    }

    [Fact]
    public void SoftmaxAxisOutOfRangeIsRejected()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3));
        Assert.Throws<InvalidGraphArgumentException>(() => x.Softmax(2));
    }
}

public class CrossEntropyTests
{
    private static readonly Tensor Logits = Tensor.RandomNormal(new Shape(4, 5), 5, 0, 3, DType.Float64);
    private static readonly Tensor Labels = Tensor.FromArray(new double[] { 0, 4, 2, 2 }, 4);

    [Fact]
    public void SoftmaxCrossEntropyEqualsMinusLogSoftmaxAtTheLabel()
    {
        var loss = Evaluate.Run(xs => Node.SoftmaxCrossEntropy(xs[0], xs[1]), Logits, Labels);
        var logp = Evaluate.Run(xs => xs[0].LogSoftmax(), Logits);
        Assert.Equal(new Shape(4), loss.Shape);
        for (int i = 0; i < 4; i++) Assert.Equal(-logp[i, (int)Labels[i]], loss[i], 12);
    }

    [Fact]
    public void SoftmaxCrossEntropyIsStableForHugeLogits()
    {
        var logits = Tensor.FromArray(new float[] { 1000, 0, -1000, 0 }, 2, 2);
        var labels = Tensor.FromArray(new float[] { 1, 0 }, 2);
        var loss = Evaluate.Run(xs => Node.SoftmaxCrossEntropy(xs[0], xs[1]), logits, labels).ToArray<float>();
        Assert.Equal([1000f, 1000f], loss);
    }

    [Fact]
    public void SoftmaxCrossEntropyGivesLabelsNoGradient()
    {
        var g = new Graph();
        var logits = g.Placeholder("logits", new Shape(-1, 3));
        var labels = g.Placeholder("labels", new Shape(-1));
        var grads = g.Gradients(Node.SoftmaxCrossEntropy(logits, labels).Mean(), logits, labels);
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void SoftmaxCrossEntropyRejectsBadLabels()
    {
        var g = new Graph();
        var logits = g.Placeholder("logits", new Shape(2, 3));
        var ex = Assert.Throws<ShapeMismatchException>(() => Node.SoftmaxCrossEntropy(logits, g.Placeholder("onehot", new Shape(2, 3))));
        Assert.Contains("'onehot' [2, 3]", ex.Message);
        Assert.Throws<ShapeMismatchException>(() => Node.SoftmaxCrossEntropy(logits, g.Placeholder("short", new Shape(3))));
        var labels = g.Placeholder("labels", new Shape(2));
        var loss = Node.SoftmaxCrossEntropy(logits, labels);
        using var s = new Session(g);
        var feeds = new Feeds { [logits] = Tensor.Zeros(new Shape(2, 3)), [labels] = Tensor.FromArray(new float[] { 1, 3 }, 2) };
        var bad = Assert.Throws<InvalidValueException>(() => s.Run(loss, feeds));
        Assert.Contains("[0, 3)", bad.Message);
        feeds[labels] = Tensor.FromArray(new float[] { 1, 0.5f }, 2);
        Assert.Throws<InvalidValueException>(() => s.Run(loss, feeds));
    }

    [Fact]
    public void SigmoidCrossEntropyMatchesTheNaiveFormulaAndIsStable()
    {
        var x = Tensor.FromArray(new double[] { -3, -0.5, 0, 0.7, 4, 800, -800 }, 7);
        var t = Tensor.FromArray(new double[] { 0, 1, 0.5, 0.2, 1, 1, 0 }, 7);
        var y = Evaluate.Run(xs => Node.SigmoidCrossEntropy(xs[0], xs[1]), x, t);
        for (int i = 0; i < 5; i++)
        {
            double p = 1 / (1 + Math.Exp(-x[i]));
            Assert.Equal(-(t[i] * Math.Log(p) + (1 - t[i]) * Math.Log(1 - p)), y[i], 12);
        }
        Assert.Equal(0.0, y[5]);
        Assert.Equal(0.0, y[6]);
    }
}

public class IndexingTests
{
    [Fact]
    public void OneHotEncodesIdsAndZeroesOutOfRangeRows()
    {
        var ids = Tensor.FromArray(new float[] { 2, 0, 5, -1 }, 2, 2);
        var y = Evaluate.Run(xs => xs[0].OneHot(3), ids);
        Assert.Equal(new Shape(2, 2, 3), y.Shape);
        Assert.Equal([0f, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], y.ToArray<float>());
    }

    [Fact]
    public void OneHotHasNoGradient()
    {
        var g = new Graph();
        var ids = g.Placeholder("ids", new Shape(2));
        Assert.Null(g.Gradients(ids.OneHot(3).Sum(), ids)[0]);
    }

    [Fact]
    public void GatherPicksRowsAndScatterAddsItsGradient()
    {
        var table = Tensor.RandomNormal(new Shape(4, 3), 11, dtype: DType.Float64);
        var ids = Tensor.FromArray(new double[] { 3, 1, 3 }, 3);
        var y = Evaluate.Run(xs => xs[0].Gather(xs[1]), table, ids);
        Assert.Equal(new Shape(3, 3), y.Shape);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(table[3, j], y[0, j]);
            Assert.Equal(table[1, j], y[1, j]);
        }
    }

    [Fact]
    public void GatherWithMatrixIdsGivesAnEmbeddingPerId()
    {
        var table = Tensor.RandomNormal(new Shape(5, 2), 12, dtype: DType.Float64);
        var ids = Tensor.FromArray(new double[] { 0, 4, 2, 2 }, 2, 2);
        var y = Evaluate.Run(xs => xs[0].Gather(xs[1]), table, ids);
        Assert.Equal(new Shape(2, 2, 2), y.Shape);
        Assert.Equal(table[4, 1], y[0, 1, 1]);
    }

    [Fact]
    public void GatherRejectsAnIdOutOfRange()
    {
        var table = Tensor.Zeros(new Shape(4, 3));
        var ids = Tensor.FromArray(new float[] { 1, 4 }, 2);
        var ex = Assert.Throws<InvalidValueException>(() => Evaluate.Run(xs => xs[0].Gather(xs[1]), table, ids));
        Assert.Contains("[0, 4)", ex.Message);
    }
}

public class ConvolutionTests
{
    [Fact]
    public void WrongChannelCountNamesBothNodesAndShapes()
    {
        var g = new Graph();
        var x = g.Placeholder("images", new Shape(-1, 3, 28, 28));
        var f = g.Variable("kernel", Tensor.Zeros(new Shape(6, 1, 5, 5)));
        var ex = Assert.Throws<ShapeMismatchException>(() => x.Conv2D(f));
        Assert.Contains("'images' [?, 3, 28, 28]", ex.Message);
        Assert.Contains("'kernel' [6, 1, 5, 5]", ex.Message);
        Assert.Contains("3 channels", ex.Message);
    }

    [Fact]
    public void BadRanksKernelsAndArgumentsAreRejected()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 1, 4, 4));
        Assert.Throws<ShapeMismatchException>(() => g.Placeholder("flat", new Shape(2, 16)).Conv2D(g.Placeholder("f", new Shape(1, 1, 3, 3))));
        Assert.Throws<ShapeMismatchException>(() => x.Conv2D(g.Placeholder("f3", new Shape(1, 3, 3))));
        var big = Assert.Throws<ShapeMismatchException>(() => x.Conv2D(g.Placeholder("big", new Shape(1, 1, 5, 5))));
        Assert.Contains("larger than the input", big.Message);
        x.Conv2D(g.Placeholder("padded", new Shape(1, 1, 5, 5)), padding: 1);
        Assert.Throws<InvalidGraphArgumentException>(() => x.Conv2D(g.Placeholder("f1", new Shape(1, 1, 3, 3)), stride: 0));
        Assert.Throws<ShapeMismatchException>(() => x.MaxPool2D(5, 1));
        Assert.Throws<InvalidGraphArgumentException>(() => x.AvgPool2D(2, 0));
    }

    [Fact]
    public void ChannelMismatchOfAnUnknownShapeIsCaughtWhenTheSessionRuns()
    {
        var g = new Graph();
        var x = g.Placeholder("x");
        var f = g.Placeholder("f", new Shape(2, 3, 3, 3));
        var y = x.Conv2D(f);
        using var s = new Session(g);
        Assert.Throws<ShapeMismatchException>(() => s.Run(y, new Feeds { [x] = Tensor.Zeros(new Shape(1, 2, 5, 5)), [f] = Tensor.Zeros(new Shape(2, 3, 3, 3)) }));
    }

    /// <summary>
    /// A batch large enough to run in parallel groups gives what one image at a time gives (the single-image path is
    /// checked against the direct loops by the op table).
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 2, 2)]
    public void LargeBatchMatchesOneImageAtATime(int stride, int padding, int dilation)
    {
        const int n = 33;
        var x = Tensor.RandomNormal(new Shape(n, 3, 12, 12), 21, dtype: DType.Float64);
        var f = Tensor.RandomNormal(new Shape(8, 3, 3, 3), 22, dtype: DType.Float64);
        var g = new Graph();
        var xn = g.Placeholder("x", new Shape(-1, 3, 12, 12), DType.Float64);
        var fn = g.Placeholder("f", f.Shape, DType.Float64);
        var dyn = g.Placeholder("dy", null, DType.Float64);
        var y = xn.Conv2D(fn, stride, padding, dilation);
        var grads = g.Gradients(y, [xn, fn], dyn);
        using var s = new Session(g);
        var dyShape = s.Run(y, new Feeds { [xn] = x, [fn] = f }).Shape;
        var dy = Tensor.RandomNormal(dyShape, 23, dtype: DType.Float64);
        var batched = s.Run([y, grads[0], grads[1]], new Feeds { [xn] = x, [fn] = f, [dyn] = dy });
        var ys = new List<double>();
        var dxs = new List<double>();
        var df = new double[f.Size];
        for (int i = 0; i < n; i++)
        {
            var r = s.Run([y, grads[0], grads[1]], new Feeds { [xn] = Image(x, i), [fn] = f, [dyn] = Image(dy, i) });
            ys.AddRange(r[0].ToArray<double>());
            dxs.AddRange(r[1].ToArray<double>());
            var dfi = r[2].ToArray<double>();
            for (int k = 0; k < df.Length; k++) df[k] += dfi[k];
        }
        AssertClose(ys.ToArray(), batched[0]);
        AssertClose(dxs.ToArray(), batched[1]);
        AssertClose(df, batched[2]);
    }

    private static Tensor Image(Tensor batch, int i)
    {
        int size = batch.Size / batch.Shape[0];
        return Tensor.FromArray(batch.ToArray<double>().AsSpan(i * size, size).ToArray(), [1, .. batch.Shape.Dims[1..]]);
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var a = actual.ToArray<double>();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) <= 1e-10 * (1 + Math.Abs(expected[i])), $"element {i}: {a[i]} vs {expected[i]}");
    }

    [Fact]
    public void AnEmptyBatchGivesAnEmptyOutputAndAZeroFilterGradient()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 2, 5, 5));
        var f = g.Variable("f", Tensor.Ones(new Shape(3, 2, 3, 3)));
        var y = x.Conv2D(f, padding: 1);
        var df = g.Gradients(y.Sum(), f)[0]!;
        using var s = new Session(g);
        var r = s.Run([y, df], new Feeds { [x] = Tensor.Zeros(new Shape(0, 2, 5, 5)) });
        Assert.Equal(new Shape(0, 3, 5, 5), r[0].Shape);
        Assert.All(r[1].ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void FilterGradientIsTheSameOnEveryRun()
    {
        var x = Tensor.RandomNormal(new Shape(64, 4, 10, 10), 31);
        var g = new Graph();
        var xn = g.Placeholder("x", x.Shape);
        var f = g.Variable("f", Tensor.RandomNormal(new Shape(8, 4, 3, 3), 32));
        var grad = g.Gradients(xn.Conv2D(f, padding: 1).Square().Sum(), f)[0]!;
        using var s = new Session(g);
        var first = s.Run(grad, new Feeds { [xn] = x }).ToArray<float>();
        for (int i = 0; i < 3; i++) Assert.Equal(first, s.Run(grad, new Feeds { [xn] = x }).ToArray<float>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PoolingOfWideRowsMatchesTheReference(bool max)
    {
        var x = Tensor.RandomNormal(new Shape(2, 1, 4, 301), 61, dtype: DType.Float64);
        var y = Evaluate.Run(xs => max ? xs[0].MaxPool2D(3, 2) : xs[0].AvgPool2D(3, 2), x);
        if (!max)
        {
            var g = new Graph();
            var xn = g.Placeholder("x", x.Shape, DType.Float64);
            var check = GradientCheck.Compute(xn.AvgPool2D(3, 2), [xn], new Feeds { [xn] = x }, new GradientCheckOptions { Mode = JacobianMode.Forward });
            Assert.True(check.MaxAbsError < 1e-7, $"average pooling of wide rows: Jacobian error {check.MaxAbsError}");
        }
        var expected = OpTable.NNReference.Pool(x, 3, 2, max).ToArray<double>();
        Assert.Equal(expected, y.ToArray<double>(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void MaxPoolPropagatesNaNAndRoutesItsGradientThere()
    {
        var x = Tensor.FromArray(new float[] { 1, float.NaN, 3, 2 }, 1, 1, 2, 2);
        var g = new Graph();
        var xn = g.Placeholder("x", x.Shape);
        var y = xn.MaxPool2D(2, 2);
        var dx = g.Gradients(y, xn)[0]!;
        using var s = new Session(g);
        var r = s.Run([y, dx], new Feeds { [xn] = x });
        Assert.True(float.IsNaN(r[0].ToArray<float>()[0]));
        Assert.Equal([0f, 1, 0, 0], r[1].ToArray<float>());
    }
}

public class DropoutTests
{
    private static (Graph, Node, Node, Node) Build(double rate, int seed)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(50, 40));
        var y = x.Dropout(rate, seed);
        var grad = g.Gradients(y, [x], g.Constant(Tensor.Fill(new Shape(50, 40), 3)))[0]!;
        return (g, x, y, grad);
    }

    [Fact]
    public void DropsAboutRateAndScalesTheRest()
    {
        var (g, x, y, _) = Build(0.3, 7);
        using var s = new Session(g);
        var v = s.Run(y, new Feeds { [x] = Tensor.Ones(new Shape(50, 40)) }).ToArray<float>();
        Assert.All(v, e => Assert.True(e == 0 || Math.Abs(e - 1 / 0.7f) < 1e-6));
        double dropped = v.Count(e => e == 0) / (double)v.Length;
        Assert.InRange(dropped, 0.25, 0.35);
    }

    [Fact]
    public void MaskChangesEveryRunAndRepeatsForTheSameSeed()
    {
        float[][] Draws(int seed)
        {
            var (g, x, y, _) = Build(0.5, seed);
            using var s = new Session(g);
            var feeds = new Feeds { [x] = Tensor.Ones(new Shape(50, 40)) };
            return [s.Run(y, feeds).ToArray<float>(), s.Run(y, feeds).ToArray<float>()];
        }
        var a = Draws(1);
        var b = Draws(1);
        Assert.NotEqual(a[0], a[1]);
        Assert.Equal(a[0], b[0]);
        Assert.Equal(a[1], b[1]);
        Assert.NotEqual(a[0], Draws(2)[0]);
    }

    [Fact]
    public void GradientUsesTheSameRunsMask()
    {
        var (g, x, y, grad) = Build(0.5, 3);
        using var s = new Session(g);
        var r = s.Run([y, grad], new Feeds { [x] = Tensor.Ones(new Shape(50, 40)) });
        var yv = r[0].ToArray<float>();
        var gv = r[1].ToArray<float>();
        for (int i = 0; i < yv.Length; i++) Assert.Equal(3 * yv[i], gv[i], 5);
    }

    [Fact]
    public void ConcurrentRunsDrawDistinctValidMasks()
    {
        var (g, x, y, _) = Build(0.5, 5);
        using var s = new Session(g);
        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = s.Run(y, new Feeds { [x] = Tensor.Ones(new Shape(50, 40)) }).ToArray<float>());
        Assert.Equal(results.Length, results.Select(r => string.Join(",", r)).Distinct().Count());
        Assert.All(results, r => Assert.All(r, e => Assert.True(e == 0 || e == 2)));
    }

    [Fact]
    public void RateZeroIsTheIdentityAndBadRatesAreRejected()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3));
        Assert.Same(x, x.Dropout(0, 1));
        Assert.Throws<InvalidGraphArgumentException>(() => x.Dropout(1, 1));
        Assert.Throws<InvalidGraphArgumentException>(() => x.Dropout(-0.1, 1));
    }
}
