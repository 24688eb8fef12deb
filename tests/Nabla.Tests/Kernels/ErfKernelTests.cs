using System.Globalization;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The vector erf against mpmath's values (a file) and, on a dense float32 grid, against a series written separately.</summary>
public class ErfKernelTests
{
    private static (double X, double Erf)[] Mpmath() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "erf", "erf-mpmath.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];

    /// <summary>Distance in units in the last place of <paramref name="expected"/>.</summary>
    private static double Ulps(double actual, double expected) =>
        expected == actual ? 0 : Math.Abs(actual - expected) / (Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected));

    private static double Ulps(float actual, double expected)
    {
        float nearest = (float)expected;
        return Math.Abs(actual - expected) / (MathF.BitIncrement(MathF.Abs(nearest)) - MathF.Abs(nearest));
    }

    [Fact]
    public void DoubleIsWithinOneUlpOfMpmathInVectorsAndTwoAlone()
    {
        var cases = Mpmath();
        Assert.True(cases.Length > 3000);
        var x = cases.Select(c => c.X).ToArray();
        var y = new double[x.Length];
        ErfKernel.Apply<double>(x, y);
        double worst = 0, worstScalar = 0;
        for (int i = 0; i < x.Length; i++)
        {
            worst = Math.Max(worst, Ulps(y[i], cases[i].Erf));
            worstScalar = Math.Max(worstScalar, Ulps(ErfKernel.Erf(x[i]), cases[i].Erf));
        }
        Assert.True(worst <= 1, $"vector erf is {worst:F2} ulp from mpmath at worst");
        Assert.True(worstScalar <= 2, $"scalar erf is {worstScalar:F2} ulp from mpmath at worst");
    }

    [Fact]
    public void FloatIsWithinOneAndAHalfUlpOfTheSeriesOnADenseGridAndTails()
    {
        // Every 2⁻¹² in [−8, 8], then 2,000 floats per binade from 2⁻¹²⁶ up, both signs.
        var grid = new List<float>();
        for (int i = -8 * 4096; i <= 8 * 4096; i++) grid.Add(i / 4096f);
        for (int e = -126; e < 4; e++)
            for (int k = 0; k < 2000; k++)
            {
                float v = MathF.ScaleB(1 + k / 2000f, e);
                grid.Add(v);
                grid.Add(-v);
            }
        var x = grid.ToArray();
        var y = new float[x.Length];
        ErfKernel.Apply<float>(x, y);
        double worst = 0;
        float worstAt = 0;
        int differ = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double exact = SeriesErf(x[i]);
            if (Ulps(y[i], exact) > worst) { worst = Ulps(y[i], exact); worstAt = x[i]; }
            if (y[i] != (float)exact) differ++;
        }
        // Computed in float lanes, as torch computes its float erf: not correctly rounded everywhere, but nearly so.
        Assert.True(worst <= 1.5, $"float erf is {worst:F4} ulp from the series at worst (x = {worstAt:R})");
        Assert.True(differ < x.Length / 20, $"{differ} of {x.Length} values are not the series rounded to float");
    }

    [Fact]
    public void SpecialValuesAndEveryLengthAndInPlace()
    {
        float[] specials = [float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f, 6f, 3.92f, float.MaxValue, float.Epsilon];
        var y = new float[specials.Length];
        ErfKernel.Apply<float>(specials, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.True(y[1] == 0 && !float.IsNegative(y[1]) && y[2] == 0 && float.IsNegative(y[2]));
        Assert.Equal([1f, -1f], y[3..5]);
        Assert.Equal(1f, y[9]);
        for (int n = 1; n <= 40; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => (float)(i * 0.37 - 5)).ToArray();
            var alone = x.Select(v => { var o = new float[1]; ErfKernel.Apply<float>([v], o); return o[0]; }).ToArray();
            var together = new float[n];
            ErfKernel.Apply<float>(x, together);
            Assert.Equal(alone, together);
            ErfKernel.Apply<float>(x, x);
            Assert.Equal(together, x);
        }
    }

    [Fact]
    public void TheSeriesReferenceAgreesWithMpmath()
    {
        foreach (var (x, erf) in Mpmath())
            Assert.True(Math.Abs(SeriesErf(x) - erf) <= 2e-15 * Math.Max(Math.Abs(erf), 1e-300), $"series erf({x:R}) = {SeriesErf(x):R}, mpmath {erf:R}");
    }

    /// <summary>
    /// erf by its Taylor-like series of positive terms (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3···(2n+1)) below 3, and
    /// 1 − erfc from erfc's continued fraction above.
    /// </summary>
    private static double SeriesErf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x), value;
        if (a >= 6) value = 1;
        else if (a >= 3)
        {
            double f = a;
            for (int k = 60; k >= 1; k--) f = a + k / 2.0 / f;
            value = 1 - Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
        }
        else
        {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 200 && term > 1e-17 * sum; n++)
            {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            value = 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        }
        return x < 0 ? -value : value;
    }
}
