namespace Nabla.Tests;

public class ErrorTests
{
    [Fact]
    public void ShapeMismatchIsReportedWhenTheNodeIsBuilt()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3, 4));
        var y = g.Placeholder("y", new Shape(5));
        var ex = Assert.Throws<ShapeMismatchException>(() => x + y);
        Assert.Contains("Add", ex.Message);
        Assert.Contains("'x' [3, 4]", ex.Message);
        Assert.Contains("'y' [5]", ex.Message);
        var mm = Assert.Throws<ShapeMismatchException>(() => x.MatMul(g.Placeholder("w", new Shape(5, 2))));
        Assert.Contains("inner dimensions differ: 4 vs 5", mm.Message);
    }

    [Fact]
    public void UnknownDimensionsAreCheckedWhenRunning()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3));
        var y = g.Placeholder("y", new Shape(-1, 3));
        var z = x + y;
        using var s = new Session(g);
        var ex = Assert.Throws<ShapeMismatchException>(() =>
            s.Run(z, new Feeds { [x] = Tensor.Zeros(new Shape(2, 3)), [y] = Tensor.Zeros(new Shape(4, 3)) }));
        Assert.Contains("'x' [2, 3]", ex.Message);
    }

    [Fact]
    public void MissingFeedNamesThePlaceholderDtypeAndShape()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 784));
        using var s = new Session(g);
        var ex = Assert.Throws<MissingFeedException>(() => s.Run(x.Sum()));
        Assert.Contains("You must feed a value for placeholder 'x' with dtype float and shape [?, 784]", ex.Message);
    }

    [Fact]
    public void FeedingAWrongShapeOrDtypeIsRejected()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3));
        using var s = new Session(g);
        var shape = Assert.Throws<FeedException>(() => s.Run(x.Sum(), new Feeds { [x] = Tensor.Zeros(new Shape(2, 4)) }));
        Assert.Contains("shape [2, 4]", shape.Message);
        Assert.Contains("'x'", shape.Message);
        var dtype = Assert.Throws<FeedException>(() => s.Run(x.Sum(), new Feeds { [x] = Tensor.Zeros(new Shape(2, 3), DType.Float64) }));
        Assert.Contains("double", dtype.Message);
    }

    [Fact]
    public void MixingDtypesNeedsACast()
    {
        var g = new Graph();
        var a = g.Placeholder("a", dtype: DType.Float32);
        var b = g.Placeholder("b", dtype: DType.Float64);
        var ex = Assert.Throws<DTypeMismatchException>(() => a * b);
        Assert.Contains("'a' is float", ex.Message);
        Assert.Contains("'b' is double", ex.Message);
        Assert.Contains("Cast", ex.Message);
        Assert.Equal(DType.Float64, (a.Cast(DType.Float64) * b).DType);
    }

    [Fact]
    public void ScalarOperandsTakeTheNodesDtype()
    {
        var g = new Graph();
        var x = g.Placeholder("x");
        Assert.Equal(DType.Float32, (x * 2.0).DType);
        Assert.Equal(DType.Float32, (1.0 - x).DType);
    }

    [Fact]
    public void BadArgumentsAreTyped()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3));
        Assert.Throws<InvalidGraphArgumentException>(() => x.Sum(2));
        Assert.Throws<InvalidGraphArgumentException>(() => x.Transpose(0, 0));
        Assert.Throws<ShapeMismatchException>(() => x.Reshape(4, 2));
        Assert.Throws<InvalidGraphArgumentException>(() => x + new Graph().Placeholder("other"));
        Assert.Throws<InvalidGraphArgumentException>(() => Tensor.Zeros(new Shape(2))[5]);
    }
}
