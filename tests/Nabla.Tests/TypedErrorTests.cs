namespace Nabla.Tests;

/// <summary>Inputs that used to end in a raw .NET exception (or a wrong shape) now get a typed error that says what and where.</summary>
public class TypedErrorTests
{
    private static (Graph G, Node X, Session S, Feeds F) Empty(params int[] dims)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(dims));
        return (g, x, new Session(g), new Feeds { [x] = Tensor.Zeros(new Shape(dims)) });
    }

    [Fact]
    public void MaxOverAnEmptyAxisIsRefusedWhenBuilt()
    {
        var (g, x, s, _) = Empty(0, 3);
        var ex = Assert.Throws<ShapeMismatchException>(() => x.Max([0]));
        Assert.Contains("empty", ex.Message);
        Assert.Throws<ShapeMismatchException>(() => x.Max());
        Assert.Equal(new Shape(0), s.Run(x.Max([1]), new Feeds { [x] = Tensor.Zeros(new Shape(0, 3)) }).Shape);
    }

    [Fact]
    public void MaxOverAnAxisThatTurnsOutEmptyIsRefusedWhenRun()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3));
        using var s = new Session(g);
        Assert.Throws<ShapeMismatchException>(() => s.Run(x.Max([0]), new Feeds { [x] = Tensor.Zeros(new Shape(0, 3)) }));
    }

    [Fact]
    public void SliceBeyondAnEmptyAxisIsAShapeError()
    {
        var (_, x, _, _) = Empty(0, 3);
        var ex = Assert.Throws<ShapeMismatchException>(() => x.Slice([1, 0], [-1, -1]));
        Assert.Contains("axis 0 of size 0", ex.Message);
    }

    [Fact]
    public void Conv2DWithoutChannelsIsAShapeError()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(1, 0, 4, 4));
        var f = g.Placeholder("f", new Shape(2, 0, 3, 3));
        var ex = Assert.Throws<ShapeMismatchException>(() => x.Conv2D(f));
        Assert.Contains("channel", ex.Message);
    }

    [Fact]
    public void TheGradientOfConcatNeedsKnownRanks()
    {
        var g = new Graph();
        var u = g.Placeholder("u", Shape.Unknown);
        var k = g.Placeholder("k", new Shape(2, 2));
        var ex = Assert.Throws<GradientException>(() => g.Gradients(Node.Concat([u, k], 0).Sum(), u));
        Assert.Contains("'u'", ex.Message);
    }

    [Fact]
    public void ShapesPastIntMaxValueAreRefusedWhenBuilt()
    {
        Assert.Throws<ShapeMismatchException>(() => new Shape(65536, 65537));
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 2));
        var ex = Assert.Throws<ShapeMismatchException>(() => x.Reshape(65536, 65537));
        Assert.Contains("more than 2147483647 elements", ex.Message);
        Assert.Throws<ShapeMismatchException>(() => x.BroadcastTo(new Shape(65536, 32768, 2)));
        Assert.Equal(int.MaxValue, new Shape(int.MaxValue).Size);
    }
}
