namespace Nabla.Tests;

/// <summary>The all-ones seed of a gradient of a sum is not multiplied into the graph.</summary>
public class GradientSeedTests
{
    [Fact]
    public void GradientOfASumOfProductsIsTheOtherFactorItself()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([4]));
        var w = g.Placeholder("w", new Shape([4]));
        var dx = g.Gradients((x * w).Sum(), x)[0]!;
        Assert.Same(w, dx);
    }

    [Fact]
    public void SumOfTanhProductGradientMatchesFiniteDifferences()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([6]), DType.Float64);
        var y = (x.Tanh() * x + x).Sum();
        var dx = g.Gradients(y, x)[0]!;
        using var session = new Session(g);
        var xs = Tensor.RandomNormal(new Shape([6]), 4, dtype: DType.Float64);
        var grad = session.Run(dx, new Feeds { [x] = xs }).ToArray<double>();
        var v = xs.ToArray<double>();
        for (int i = 0; i < v.Length; i++)
        {
            const double h = 1e-6;
            double F(double xi) => Math.Tanh(xi) * xi + xi;
            double numeric = (F(v[i] + h) - F(v[i] - h)) / (2 * h);
            Assert.Equal(numeric, grad[i], 1e-7);
        }
    }
}
