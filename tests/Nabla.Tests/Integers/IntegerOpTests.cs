namespace Nabla.Tests.Integers;

/// <summary>
/// Ops on int32, int64 and bool nodes, each against a naive loop written here: arithmetic with broadcasting, comparisons
/// giving bool, Where, reductions, ids of every dtype, the new ops on integers, and gradients refused or stopped.
/// </summary>
public class IntegerOpTests
{
    private static Tensor Run(Node y, params (Node, Tensor)[] feeds)
    {
        using var s = new Session(y.Graph);
        var f = new Feeds();
        foreach (var (n, t) in feeds) f[n] = t;
        return s.Run(y, f);
    }

    private static readonly int[] A = [7, -3, 0, 2147483647, 5, -8];
    private static readonly int[] B = [2, -3, 4];

    /// <summary>a [2,3] op b [3] by hand, in 32-bit wrapping arithmetic.</summary>
    private static int[] Naive(Func<int, int, int> f) => Enumerable.Range(0, 6).Select(i => f(A[i], B[i % 3])).ToArray();

    [Fact]
    public void ArithmeticBroadcastsAndWrapsLikeCSharp()
    {
        var g = new Graph();
        var a = g.Placeholder("a", new Shape(2, 3), DType.Int32);
        var b = g.Placeholder("b", new Shape(3), DType.Int32);
        var feeds = new[] { (a, Tensor.FromArray(A, 2, 3)), (b, Tensor.FromArray(B)) };
        Assert.Equal(Naive((x, y) => unchecked(x + y)), Run(a + b, feeds).ToArray<int>());
        Assert.Equal(Naive((x, y) => unchecked(x - y)), Run(a - b, feeds).ToArray<int>());
        Assert.Equal(Naive((x, y) => unchecked(x * y)), Run(a * b, feeds).ToArray<int>());
        Assert.Equal(Naive(Math.Max), Run(Node.Maximum(a, b), feeds).ToArray<int>());
        Assert.Equal(Naive(Math.Min), Run(Node.Minimum(a, b), feeds).ToArray<int>());
        Assert.Equal(A.Select(x => unchecked(-x)), Run(-a, feeds).ToArray<int>());
        Assert.Equal(A.Select(x => unchecked(x + 1)), Run(a + 1, feeds).ToArray<int>());
        Assert.Equal(DType.Int32, (a + b).DType);
    }

    [Fact]
    public void ComparisonsGiveBoolForEveryNumericDType()
    {
        foreach (var dtype in new[] { DType.Int32, DType.Int64, DType.Float32, DType.Float64 })
        {
            var g = new Graph();
            var a = g.Placeholder("a", new Shape(2, 3), dtype);
            var b = g.Placeholder("b", new Shape(3), dtype);
            var feeds = new[] { (a, Tensor.FromArray(A, 2, 3).Cast(dtype)), (b, Tensor.FromArray(B).Cast(dtype)) };
            void Check(Node n, Func<int, int, bool> f)
            {
                Assert.Equal(DType.Bool, n.DType);
                Assert.Equal(Enumerable.Range(0, 6).Select(i => f(A[i], B[i % 3])), Run(n, feeds).ToArray<bool>());
            }
            Check(a.Greater(b), (x, y) => x > y);
            Check(a.GreaterEqual(b), (x, y) => x >= y);
            Check(a.Less(b), (x, y) => x < y);
            Check(a.LessEqual(b), (x, y) => x <= y);
            Check(a.Equal(b), (x, y) => x == y);
            Check(a.NotEqual(b), (x, y) => x != y);
        }
    }

    [Fact]
    public void NaNComparesFalseExceptNotEqual()
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromArray(new[] { double.NaN, 1 }));
        var y = g.Constant(Tensor.FromArray(new[] { double.NaN, 1.0 }));
        Assert.Equal(new[] { false, true }, Run(x.Equal(y)).ToArray<bool>());
        Assert.Equal(new[] { true, false }, Run(x.NotEqual(y)).ToArray<bool>());
        Assert.Equal(new[] { false, false }, Run(x.Greater(y)).ToArray<bool>());
    }

    [Fact]
    public void WhereSelectsByABoolConditionForAnyValueDType()
    {
        var g = new Graph();
        var c = g.Constant(Tensor.FromArray(new[] { true, false, true }));
        var a = g.Constant(Tensor.FromArray(new long[] { 1, 2, 3, 4, 5, 6 }, 2, 3));
        var b = g.Constant(Tensor.FromArray(new long[] { -1 }));
        Assert.Equal(new long[] { 1, -1, 3, 4, -1, 6 }, Run(Node.Where(c, a, b)).ToArray<long>());
        var e = Assert.Throws<DTypeMismatchException>(() => Node.Where(g.Constant(Tensor.FromArray(new[] { 1, 0, 1 })), a, b));
        Assert.Contains("bool condition", e.Message);
    }

    [Fact]
    public void SumAndMaxReduceIntegers()
    {
        var rng = new Random(3);
        var data = Enumerable.Range(0, 24).Select(_ => (long)rng.Next(-1000, 1000) * 1_000_000_007L).ToArray();
        var g = new Graph();
        var x = g.Constant(Tensor.FromArray(data, 2, 3, 4));
        Assert.Equal(data.Sum(), Run(x.Sum()).Scalar<long>());
        var sums = Run(x.Sum(1)).ToArray<long>();
        var maxes = Run(x.Max([0, 2])).ToArray<long>();
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 4; k++)
                Assert.Equal(Enumerable.Range(0, 3).Sum(j => data[(i * 3 + j) * 4 + k]), sums[i * 4 + k]);
        for (int j = 0; j < 3; j++)
            Assert.Equal(Enumerable.Range(0, 8).Max(m => data[((m / 4) * 3 + j) * 4 + m % 4]), maxes[j]);
        Assert.Throws<DTypeNotSupportedException>(() => x.Mean());
    }

    [Fact]
    public void IdsOfEveryDTypeGiveTheSameRows()
    {
        var g = new Graph();
        var table = g.Constant(Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 4, 2));
        var logits = g.Constant(Tensor.FromArray(new float[] { 1, 2, 3, 0.5f, -1, 2 }, 2, 3));
        int[] ids = [3, 0, 3];
        int[] labels = [2, 0];
        foreach (var dtype in new[] { DType.Int32, DType.Int64, DType.Float32 })
        {
            var id = g.Constant(Tensor.FromArray(ids).Cast(dtype));
            Assert.Equal(new float[] { 7, 8, 1, 2, 7, 8 }, Run(table.Gather(id)).ToArray<float>());
            Assert.Equal(new float[] { 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1 }, Run(id.OneHot(4)).ToArray<float>());
            var loss = Run(Node.SoftmaxCrossEntropy(logits, g.Constant(Tensor.FromArray(labels).Cast(dtype)))).ToArray<float>();
            Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3, loss[0], 5);
            Assert.Equal(Math.Log(Math.Exp(0.5) + Math.Exp(-1) + Math.Exp(2)) - 0.5, loss[1], 5);
        }
        var bad = Assert.Throws<InvalidValueException>(() => Run(table.Gather(g.Constant(Tensor.FromArray(new long[] { 1, 4 })))));
        Assert.Contains("index 4 at position 1", bad.Message);
        Assert.Throws<DTypeMismatchException>(() => table.Gather(g.Constant(Tensor.FromArray(new[] { true }))));
        Assert.Throws<DTypeMismatchException>(() => table.Gather(g.Constant(Tensor.FromArray(new[] { 1.0 }))));
    }

    [Fact]
    public void NewOpsWorkOnIntegers()
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromArray(new[] { 3, 9, 9, -1, 4, 0 }, 2, 3));
        Assert.Equal(new long[] { 1, 1 }, Run(x.ArgMax(1)).ToArray<long>());
        Assert.Equal(new[] { 1, 1, 1 }, Run(x.ArgMin(0, DType.Int32)).ToArray<int>());
        Assert.Equal(new[] { 3, 12, 21, -1, 3, 3 }, Run(x.Cumsum(1)).ToArray<int>());
        var (values, indices) = x.TopK(2);
        Assert.Equal(new[] { 9, 9, 4, 0 }, Run(values).ToArray<int>());
        Assert.Equal(new[] { 1, 2, 1, 2 }, Run(indices).ToArray<int>());
        Assert.Equal(new long[] { 10, 7, 4, 1 }, Run(g.Range(10, 0, -3, DType.Int64)).ToArray<long>());
        Assert.Empty(Run(g.Range(5, 5)).ToArray<int>());
        Assert.Throws<InvalidGraphArgumentException>(() => g.Range(0, 1, 0.5));
        Assert.Throws<InvalidGraphArgumentException>(() => g.Range(0, 1, 0));
    }

    [Fact]
    public void FeedsOfIntegerPlaceholdersAreChecked()
    {
        var g = new Graph();
        var p = g.Placeholder("ids", new Shape(-1), DType.Int32);
        Assert.Equal(new[] { 2, 4 }, Run(p * 2, (p, Tensor.FromArray(new[] { 1, 2 }))).ToArray<int>());
        var e = Assert.Throws<FeedException>(() => Run(p * 2, (p, Tensor.FromArray(new float[] { 1, 2 }))));
        Assert.Contains("int32", e.Message);
    }
}
