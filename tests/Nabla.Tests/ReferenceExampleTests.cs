using Nabla.Examples;

namespace Nabla.Tests;

public class ReferenceExampleTests
{
    [Fact]
    public void ValuesAndGradientsMatchTheArticle()
    {
        var ex = new ReferenceExample();
        using var s = new Session(ex.Graph);
        var values = s.Run(ex.Values, ex.Feeds()).Select(t => t.Scalar<float>());
        var grads = s.Run(ex.Gradients, ex.Feeds()).Select(t => t.Scalar<float>());
        Assert.Equal([3f, 2, 4, 5, 6, 20, 26], values);
        Assert.Equal([2f, 3, 5, 4, 1, 1], grads);
    }

    [Fact]
    public void PublicApiExampleFromTheReadme()
    {
        var g = new Graph();
        var a = g.Placeholder("a"); var b = g.Placeholder("b");
        var c = g.Placeholder("c"); var d = g.Placeholder("d");
        var e = a * b; var f = c * d; var y = e + f;
        var grads = g.Gradients(y, a, b, c, d, e, f);
        using var s = new Session(g);
        var feeds = new Feeds { [a] = 3f, [b] = 2f, [c] = 4f, [d] = 5f };
        Assert.Equal([3f, 2, 4, 5, 6, 20, 26], s.Run([a, b, c, d, e, f, y], feeds).Select(t => t.Scalar<float>()));
        Assert.Equal([2f, 3, 5, 4, 1, 1], s.Run(grads, feeds).Select(t => t.Scalar<float>()));
    }

    [Fact]
    public void DemoCommandPrintsBothLines()
    {
        var output = new StringWriter();
        int code = Nabla.Cli.CommandLine.Run(["demo"], output, new StringWriter());
        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Contains("[3, 2, 4, 5, 6, 20, 26]", lines);
        Assert.Contains("[2, 3, 5, 4, 1, 1]", lines);
        Assert.Contains("  dg/da = 2", lines);
        Assert.Contains("  g = 26", lines);
    }
}
