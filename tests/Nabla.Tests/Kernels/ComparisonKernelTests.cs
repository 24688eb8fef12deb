using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class ComparisonKernelTests
{
    [Fact]
    public void VectorizedComparisonsMatchTheScalarRuleIncludingNaN()
    {
        Check<GreaterScalar>((x, y) => x > y);
        Check<GreaterEqualScalar>((x, y) => x >= y);
        Check<LessScalar>((x, y) => x < y);
        Check<LessEqualScalar>((x, y) => x <= y);
        Check<EqualScalar>((x, y) => x == y);
        Check<NotEqualScalar>((x, y) => x != y);
    }

    private static void Check<TOp>(Func<double, double, bool> rule) where TOp : IScalarBinary
    {
        var rng = new Random(3);
        double[] pool = [double.NaN, 0, -0.0, 1, -1, 2, double.PositiveInfinity, double.NegativeInfinity];
        foreach (int n in new[] { 1, 7, 8, 9, 33 })
        {
            var x = Enumerable.Range(0, n).Select(_ => pool[rng.Next(pool.Length)]).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => pool[rng.Next(pool.Length)]).ToArray();
            var zd = new double[n];
            var zf = new float[n];
            ScalarLoop<TOp>.Apply<double>(x, y, zd);
            ScalarLoop<TOp>.Apply<float>(x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray(), zf);
            for (int i = 0; i < n; i++)
            {
                double expected = rule(x[i], y[i]) ? 1 : 0;
                Assert.Equal(expected, zd[i]);
                Assert.Equal(expected, zf[i]);
            }
            ScalarLoop<TOp>.Apply<double>(x, 1.0, zd);
            for (int i = 0; i < n; i++) Assert.Equal(rule(x[i], 1) ? 1 : 0, zd[i]);
            ScalarLoop<TOp>.Apply<double>(double.NaN, y, zd);
            for (int i = 0; i < n; i++) Assert.Equal(rule(double.NaN, y[i]) ? 1 : 0, zd[i]);
        }
    }
}
