using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class RowDotsKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 4, 7)]
    [InlineData(7, 9, 9)]
    [InlineData(6, 25, 784)]
    [InlineData(16, 150, 100)]
    [InlineData(150, 16, 100)]
    [InlineData(5, 6, 17)]
    [InlineData(4, 5, 31)]
    public void MatchesDotProductsAndAccumulates(int m, int n, int k)
    {
        Check<float>(m, n, k, 1e-4);
        Check<double>(m, n, k, 1e-12);
    }

    /// <summary>An infinity in the part of a row that the last vector reads twice gives ∞, not NaN (0·∞).</summary>
    [Theory]
    [InlineData(9)]
    [InlineData(19)]
    [InlineData(100)]
    public void InfinityInTheLastPartialVectorStaysInfinite(int k)
    {
        const int m = 4, n = 5;
        var a = Enumerable.Range(0, m * k).Select(i => 1 + (i % 3)).Select(v => (float)v).ToArray();
        var b = Enumerable.Range(0, n * k).Select(i => 0.5f + (i % 2)).ToArray();
        for (int i = 0; i < m; i++) a[i * k + k - 2] = float.PositiveInfinity;
        var c = new float[m * n];
        RowDots.Accumulate<float>(a, b, c, m, n, k);
        Assert.All(c, v => Assert.Equal(float.PositiveInfinity, v));
    }

    private static void Check<T>(int m, int n, int k, double tolerance) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + n * 10 + k);
        T Next() => T.CreateTruncating(random.NextDouble() * 2 - 1);
        var a = Enumerable.Range(0, m * k).Select(_ => Next()).ToArray();
        var b = Enumerable.Range(0, n * k).Select(_ => Next()).ToArray();
        var c = Enumerable.Range(0, m * n).Select(_ => Next()).ToArray();
        var expected = (T[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int t = 0; t < k; t++) expected[i * n + j] += a[i * k + t] * b[j * k + t];
        RowDots.Accumulate<T>(a, b, c, m, n, k);
        for (int i = 0; i < c.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), actual = double.CreateTruncating(c[i]);
            if (!(Math.Abs(actual - e) <= tolerance * (1 + Math.Abs(e)) * Math.Sqrt(k))) Assert.Fail($"{m}×{n}×{k} {typeof(T).Name} at {i}: {actual} vs {e}");
        }
    }
}
