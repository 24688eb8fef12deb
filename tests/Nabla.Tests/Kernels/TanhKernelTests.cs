using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class TanhKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(65)]
    [InlineData(129)]
    [InlineData(4099)]
    public void FloatMatchesDoubleTanhWithinFourUlpIncludingSpecials(int n)
    {
        var rng = new Random(n);
        float[] specials = [float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 0.625f, -0.625f, 9f, -9f, 1e-30f, -1e-7f, 30f, float.MaxValue];
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = rng.Next(4) == 0 ? specials[rng.Next(specials.Length)] : (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-4, 2)));
        var y = new float[n];
        FastTanh.Apply<float>(x, y);
        for (int i = 0; i < n; i++)
        {
            float expected = (float)Math.Tanh(x[i]);
            if (float.IsNaN(expected)) { Assert.True(float.IsNaN(y[i]), $"tanh({x[i]}) = {y[i]}, expected NaN"); continue; }
            float ulp = MathF.BitIncrement(MathF.Abs(expected)) - MathF.Abs(expected);
            Assert.True(MathF.Abs(y[i] - expected) <= 4 * ulp, $"tanh({x[i]:R}) = {y[i]:R}, expected {expected:R}");
            Assert.Equal(float.IsNegative(expected), float.IsNegative(y[i]));
        }
    }

    [Fact]
    public void InPlaceGivesTheSameValues()
    {
        var x = Enumerable.Range(0, 37).Select(i => (float)(i - 18) / 5).ToArray();
        var expected = new float[x.Length];
        FastTanh.Apply<float>(x, expected);
        FastTanh.Apply<float>(x, x);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void DoubleMatchesMathTanh()
    {
        double[] x = [-3, -0.5, 0, 1e-9, 0.3, 2, 40, double.NaN];
        var y = new double[x.Length];
        FastTanh.Apply<double>(x, y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Tanh(x[i]), y[i], 1e-15);
    }
}
