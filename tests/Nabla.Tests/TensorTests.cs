namespace Nabla.Tests;

public class TensorTests
{
    [Fact]
    public void FormatsLikeNumPy()
    {
        Assert.Equal("3", ((Tensor)3f).ToString());
        Assert.Equal("[[1, 2], [3, 4]]", Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).ToString());
        Assert.Equal("[0.5, -1.25]", Tensor.FromArray(new[] { 0.5, -1.25 }).ToString());
        var big = Tensor.Zeros(new Shape(2000));
        Assert.Equal("[0, 0, 0, ..., 0, 0, 0]", big.ToString());
    }

    [Fact]
    public void FactoriesAndAccess()
    {
        var t = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(new Shape(2, 3), t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(6, t[1, 2]);
        Assert.Equal(4, t[-1, 0]);
        Assert.Equal(new Shape(3), Tensor.FromArray(new double[] { 1, 2, 3 }).Shape);
        Assert.Equal(0, ((Tensor)2.0).Rank);
        Assert.Equal(2.0, ((Tensor)2.0).Scalar<double>());
        Assert.Equal([1.0, 2, 3, 4, 5, 6], t.ToArray<double>());
        Assert.Equal(Tensor.RandomNormal(new Shape(5), 42).ToArray<float>(), Tensor.RandomNormal(new Shape(5), 42).ToArray<float>());
        Assert.NotEqual(Tensor.RandomNormal(new Shape(5), 42).ToArray<float>(), Tensor.RandomNormal(new Shape(5), 43).ToArray<float>());
        Assert.All(Tensor.RandomUniform(new Shape(100), 1, -2, 3).ToArray<float>(), v => Assert.InRange(v, -2f, 3f));
        Assert.Throws<ShapeMismatchException>(() => Tensor.FromArray(new float[] { 1, 2, 3 }, 2, 2));
        Assert.Throws<ShapeMismatchException>(() => t.Scalar<float>());
    }

    [Fact]
    public void ShapesCompareAndPrint()
    {
        Assert.Equal(new Shape(2, 3), new Shape(2, 3));
        Assert.NotEqual(new Shape(2, 3), new Shape(3, 2));
        Assert.Equal("[?, 784]", new Shape(-1, 784).ToString());
        Assert.True(new Shape(-1, 3).IsCompatibleWith(new Shape(5, 3)));
        Assert.False(new Shape(-1, 3).IsCompatibleWith(new Shape(5, 4)));
        Assert.Equal(-1, Shape.Unknown.Rank);
        Assert.Throws<NablaException>(() => new Shape(-2));
    }

    [Fact]
    public void NodesGetUniqueScopedNames()
    {
        var g = new Graph();
        var x = g.Placeholder("x");
        Node a, b;
        using (g.NameScope("layer1"))
        {
            a = x * x;
            b = x * x;
        }
        Assert.Equal("layer1/Mul", a.Name);
        Assert.Equal("layer1/Mul_1", b.Name);
        Assert.Equal("Mul", (x * x).Name);
        var grads = g.Gradients(a, x);
        Assert.StartsWith("gradients/", grads[0]!.Name);
    }
}
