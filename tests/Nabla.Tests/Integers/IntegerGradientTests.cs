namespace Nabla.Tests.Integers;

/// <summary>Derivatives and integers: refused with respect to them, stopped at casts into them, flowing through float casts.</summary>
public class IntegerGradientTests
{
    [Fact]
    public void DifferentiatingWithRespectToAnIntegerNodeIsRefusedByName()
    {
        var g = new Graph();
        var ids = g.Placeholder("ids", new Shape(3), DType.Int32);
        var y = ids.Cast(DType.Float32).Sum();
        var e = Assert.Throws<GradientException>(() => g.Gradients(y, ids));
        Assert.Contains("'ids'", e.Message);
        Assert.Contains("int32", e.Message);
        Assert.Contains("Cast", e.Message);
        Assert.Throws<GradientException>(() => g.Jvp(y, [ids], [g.Constant(Tensor.FromArray(new[] { 1, 1, 1 }))]));
        var mask = g.Placeholder("mask", new Shape(3), DType.Bool);
        Assert.Throws<GradientException>(() => g.Gradients(y, mask));
    }

    [Fact]
    public void NoGradientFlowsThroughIntegersOrBools()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), DType.Float64);
        // Σ trunc(x)·x: the truncation is piecewise constant, so the gradient is trunc(x) alone.
        var grad = g.Gradients((x.Cast(DType.Int32).Cast(DType.Float64) * x).Sum(), x)[0]!;
        Assert.Null(g.Gradients(x.Greater(g.Scalar(0, DType.Float64)), x)[0]);
        Assert.Null(g.Gradients(x.ArgMax(), x)[0]);
        var t = g.Jvp(x.Cast(DType.Int64), [x], [g.Constant(Tensor.FromArray(new[] { 1.0, 1, 1 }))]);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(new[] { 1.5, -2.7, 3 }) };
        Assert.Equal(new[] { 1.0, -2, 3 }, s.Run(grad, feeds).ToArray<double>());
        Assert.Equal(new long[] { 0, 0, 0 }, s.Run(t, feeds).ToArray<long>());
    }

    [Fact]
    public void GradientsFlowThroughCastsBetweenFloats()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2), DType.Float32);
        var y = (x.Cast(DType.Float64).Square()).Sum();
        var grad = g.Gradients(y, x)[0]!;
        Assert.Equal(DType.Float32, grad.DType);
        using var s = new Session(g);
        Assert.Equal(new[] { 3f, -1f }, s.Run(grad, new Feeds { [x] = Tensor.FromArray(new[] { 1.5f, -0.5f }) }).ToArray<float>());
    }
}
