namespace Nabla.Tests;

public class TensorTests
{
    [Fact]
    public void PrintsElementsShapeAndDTypeLikeNumPy()
    {
        Assert.Equal("tensor(3, shape=[], dtype=float32)", ((Tensor)3f).ToString());
        Assert.Equal("tensor([0.5, -1.25], shape=[2], dtype=float64)", Tensor.FromArray(new[] { 0.5, -1.25 }).ToString());
        // Rows on lines of their own, numbers right-aligned to the widest, as numpy.array2string does.
        Assert.Equal("tensor([[  1, -20],\n        [300,   4]], shape=[2, 2], dtype=float32)", Tensor.FromArray(new float[] { 1, -20, 300, 4 }, 2, 2).ToString());
        Assert.Equal("tensor([[[0, 1],\n         [2, 3]],\n        [[4, 5],\n         [6, 7]]], shape=[2, 2, 2], dtype=float64)",
            Tensor.FromArray(Enumerable.Range(0, 8).Select(i => (double)i).ToArray(), 2, 2, 2).ToString());
    }

    [Fact]
    public void LargeTensorsShowThreeItemsAtEachEdgeOfEachAxis()
    {
        var big = Tensor.FromArray(Enumerable.Range(0, 2000).Select(i => (float)i).ToArray());
        Assert.Equal("tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000], dtype=float32)", big.ToString());
        var matrix = Tensor.FromArray(Enumerable.Range(0, 100 * 20).Select(i => (float)i).ToArray(), 100, 20);
        string[] lines = matrix.ToString().Split('\n');
        Assert.Equal(7, lines.Length); // 3 rows, "...", 3 rows
        Assert.Equal("tensor([[   0,    1,    2, ...,   17,   18,   19],", lines[0]);
        Assert.Equal("        ...,", lines[3]);
        Assert.Equal("        [1980, 1981, 1982, ..., 1997, 1998, 1999]], shape=[100, 20], dtype=float32)", lines[6]);
        Assert.Equal(1000, Tensor.Zeros(new Shape(1000)).ToString().Split(", ").Length - 2); // 1000 elements: all shown
    }

    [Fact]
    public void FormatValuesPrintsTheElementsAloneOnOneLine()
    {
        Assert.Equal("3", ((Tensor)3f).FormatValues());
        Assert.Equal("[[1, 2], [3, 4]]", Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).FormatValues());
        Assert.Equal("[0, 0, 0, ..., 0, 0, 0]", Tensor.Zeros(new Shape(2000)).FormatValues());
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
