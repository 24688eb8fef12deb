using Microsoft.DotNet.Interactive.Formatting;
using Nabla.NN;
using Nabla.Visualization;

namespace Nabla.Interactive.Tests;

public class FormatterTests
{
    public FormatterTests() => NablaFormatters.Register();

    private static string Html(object value) => value.ToDisplayString(HtmlFormatter.MimeType);

    [Fact]
    public void ATensorIsATableWithItsShapeAndDType()
    {
        string html = Html(Tensor.FromArray(new double[] { 1, 2.5, -3, 4, 5, 6 }, 2, 3));
        Assert.Contains("<caption>Tensor, shape [2, 3], dtype float64</caption>", html);
        Assert.Contains("<tr><td>1</td><td>2.5</td><td>-3</td></tr><tr><td>4</td><td>5</td><td>6</td></tr>", html);
        Assert.Contains("<tr><td>7</td></tr>", Html((Tensor)7f));
    }

    [Fact]
    public void ALargeTensorShowsItsCornersAroundAnEllipsis()
    {
        int n = 30;
        string html = Html(Tensor.FromArray(Enumerable.Range(0, n * n).Select(i => (float)i).ToArray(), n, n));
        int side = NablaFormatters.MaxTableSide;
        var rows = html.Split("<tr>").Skip(1).ToArray();
        Assert.Equal(side + 1, rows.Length);
        Assert.All(rows, r => Assert.Equal(side + 1, r.Split("<td>").Length - 1));
        Assert.StartsWith("<td>0</td><td>1</td>", rows[0]);
        Assert.EndsWith($"<td>{n * n - 1}</td></tr></table>", rows[^1]);
        Assert.Contains($"<td>{(n - 1) * n}</td>", rows[^1]); // the last row's first number
        Assert.All(rows[side / 2].Split("<td>").Skip(1), cell => Assert.StartsWith("…", cell));
    }

    [Fact]
    public void AModelIsItsSummaryAndARendererItsPicture()
    {
        var model = new Sequential(1, new Dense(4), new Dense(2));
        model.Apply(new Graph().Placeholder("x", new Shape(-1, 3)));
        Assert.Contains($"total parameters: {3 * 4 + 4 + 4 * 2 + 2}", Html(model));

        var ex = Expression.Parse("a*b + c*d");
        using var s = new Session(ex.Graph);
        var feeds = ex.Feeds(new Dictionary<string, double> { ["a"] = 3, ["b"] = 2, ["c"] = 4, ["d"] = 5 });
        string picture = Html(new GraphRenderer(ex.Graph, new RenderOptions { Session = s, Feeds = feeds, Output = ex.Output }));
        Assert.Contains("<svg", picture);
        Assert.Contains(">dg/da = 2<", picture);
        Assert.Contains(">26<", picture);

        string bare = Html(ex.Graph);
        Assert.Contains(">Add []<", bare); // op and shape without values
        Assert.DoesNotContain(">26<", bare);
    }
}
