namespace Nabla.Visualization.Tests;

/// <summary>Control-flow nodes draw with their type and attributes, in DOT and in the managed SVG.</summary>
public class ControlFlowPictureTests
{
    [Fact]
    public void ScanAndWhileLoopNodesShowTheirTypeAndAttributes()
    {
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(4, 2));
        var w = g.Variable("w", Tensor.Ones(new Shape(2)));
        var (_, ys) = g.Scan((c, x) => new ScanStep([c[0] * w + x[0]], [c[0]]), [g.Constant(Tensor.Zeros(new Shape(2)))], [xs]);
        var halved = g.WhileLoop(v => v[0].Sum().Greater(1f), v => [v[0] * 0.5f], [ys[0].Sum([0])], maximumIterations: 5)[0];
        var renderer = new GraphRenderer(g, new RenderOptions { Output = halved });
        string dot = renderer.ToDot();
        Assert.Contains("Scan carries=1, elems=1, outputs=1, captures=1", dot);
        Assert.Contains("WhileLoop vars=1, captures=0, maximum_iterations=5", dot);
        Assert.Contains("WhileLoop", renderer.ToSvg());
    }
}
