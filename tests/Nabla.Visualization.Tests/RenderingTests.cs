using System.Text.RegularExpressions;
using Nabla.Examples;

namespace Nabla.Visualization.Tests;

public class RenderingTests
{
    private static (ReferenceExample Ex, GraphRenderer Renderer) Reference()
    {
        var ex = new ReferenceExample();
        var session = new Session(ex.Graph);
        return (ex, new GraphRenderer(ex.Graph, new RenderOptions { Session = session, Feeds = ex.Feeds(), Output = ex.G }));
    }

    [Fact]
    public void ReferenceDotHoldsValuesInGreenAndGradientsInRed()
    {
        string dot = Reference().Renderer.ToDot();
        var green = Regex.Matches(dot, $"<FONT COLOR=\"{Palette.Value}\">([^<]*)</FONT>").Select(m => m.Groups[1].Value);
        Assert.Equal(["3", "2", "4", "5", "6", "20", "26"], green);
        var red = Regex.Matches(dot, $"<FONT COLOR=\"{Palette.Gradient}\">dg/d(\\w) = ([^<]*)</FONT>")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["2", "3", "5", "4", "1", "1"], "abcdef".Select(c => red[c.ToString()]));
        Assert.Equal("1", red["g"]);
        Assert.Equal(7, Regex.Matches(dot, @"^\s*n\d+ \[label=", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void EdgesCarryLocalPartials()
    {
        string dot = Reference().Renderer.ToDot();
        Assert.Contains("[label=<∂e/∂a = 2>]", dot);
        Assert.Contains("[label=<∂e/∂b = 3>]", dot);
        Assert.Contains("[label=<∂f/∂c = 5>]", dot);
        Assert.Contains("[label=<∂g/∂e = 1>]", dot);
        Assert.Equal(6, Regex.Matches(dot, " -> ").Count);
    }

    [Fact]
    public void GradientNodesAreHiddenUnlessAsked()
    {
        var ex = new ReferenceExample();
        using var s = new Session(ex.Graph);
        string plain = new GraphRenderer(ex.Graph, new RenderOptions { Session = s, Feeds = ex.Feeds(), Output = ex.G }).ToDot();
        Assert.DoesNotContain("gradients", plain);
        string all = new GraphRenderer(ex.Graph, new RenderOptions { Fetches = ex.Gradients, ShowGradientNodes = true }).ToDot();
        Assert.Contains("subgraph \"cluster_gradients\"", all);
    }

    [Fact]
    public void TheWholeGraphLeavesOutNodesMadeForAnnotations()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar);
        var y = x + x;
        using var s = new Session(g);
        _ = new GraphRenderer(g, new RenderOptions { Session = s, Feeds = new Feeds { [x] = 3f }, Output = y });
        Assert.True(g.Nodes.Count > 2);
        string whole = new GraphRenderer(g).ToDot();
        Assert.True(2 == Regex.Matches(whole, @"^\s*n\d+ \[label=", RegexOptions.Multiline).Count, whole);
    }

    [Fact]
    public void ScopesBecomeClustersAndCanBeCollapsed()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3));
        Node h, y;
        using (g.NameScope("layer1"))
        {
            var w = g.Variable("W", Tensor.Ones(new Shape(3, 4)));
            h = x.MatMul(w).Relu();
        }
        using (g.NameScope("loss")) y = h.Sum();
        string open = new GraphRenderer(g, new RenderOptions { Output = y }).ToDot();
        Assert.Contains("subgraph \"cluster_layer1\"", open);
        Assert.Contains("subgraph \"cluster_loss\"", open);
        Assert.Contains($"fillcolor=\"{Palette.Placeholder}\"", open);
        Assert.Contains($"fillcolor=\"{Palette.Variable}\"", open);
        Assert.Contains("MatMul [2, 4]", open);

        string collapsed = new GraphRenderer(g, new RenderOptions { Output = y, CollapsedScopes = ["layer1"] }).ToDot();
        Assert.DoesNotContain("cluster_layer1", collapsed);
        Assert.Contains("3 nodes (collapsed)", collapsed);
        Assert.Contains("n0 -> scope_layer1;", collapsed);
        Assert.Single(Regex.Matches(collapsed, "-> scope_layer1;"));
    }

    [Fact]
    public void TextNamesNodesInFullWhenTheirShortNamesClash()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar);
        Node h, y;
        using (g.NameScope("layer1")) h = x * g.Variable("w", Tensor.Scalar(2));
        using (g.NameScope("layer2")) y = h * g.Variable("w", Tensor.Scalar(5));
        using var s = new Session(g);
        string html = new GraphRenderer(g, new RenderOptions { Session = s, Feeds = new Feeds { [x] = 3f }, Output = y }).ToHtml();
        var steps = StepTexts(html);
        Assert.Contains("dlayer2/Mul/dlayer1/w = dlayer2/Mul/dlayer1/Mul · ∂layer1/Mul/∂layer1/w = 5 · 3 = 15", steps);
        Assert.Contains("layer2/Mul = layer1/Mul · layer2/w = 6 · 5 = 30", steps);
    }

    /// <summary>The sentences of the page's steps, read from the JSON its script holds.</summary>
    private static string[] StepTexts(string html)
    {
        const string start = "const steps = ";
        int from = html.IndexOf(start, StringComparison.Ordinal) + start.Length;
        string json = html[from..html.IndexOf(";\n", from, StringComparison.Ordinal)];
        return System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("text").GetString()!).ToArray();
    }

    [Fact]
    public void TensorsPrintAsShapePlusAFewValuesAndConstantsLookApart()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3));
        var y = (x * 2.0).Sum();
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3) };
        string dot = new GraphRenderer(g, new RenderOptions { Session = s, Feeds = feeds, Output = y, MaxValues = 4 }).ToDot();
        Assert.Contains("Placeholder [2, 3]</FONT><BR/><FONT COLOR=\"#1a7f37\">1, 2, 3, 4, …</FONT>", dot);
        Assert.Contains("Mul [2, 3]</FONT><BR/><FONT COLOR=\"#1a7f37\">2, 4, 6, 8, …</FONT>", dot);
        Assert.Contains("[label=<∂Mul/∂x = 2>]", dot);
        Assert.Contains(">42<", dot);
        Assert.Contains($"fillcolor=\"{Palette.Constant}\", style=\"rounded,filled,dashed\"", dot);
    }

    [Fact]
    public void RenderingATrainingGraphRunsNoAssign()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(1, 2));
        var w = g.Variable("w", Tensor.FromArray(new float[] { 1, 2 }, 2, 1));
        var loss = x.MatMul(w).Square().Sum();
        var grad = g.Gradients(loss, w)[0]!;
        var step = w.Assign(w - grad * 0.1);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(new float[] { 1, 1 }, 1, 2) };
        string dot = new GraphRenderer(g, new RenderOptions { Session = s, Feeds = feeds, Output = loss, Fetches = [step] }).ToDot();
        Assert.Contains("Assign", dot);
        Assert.Contains(">9<", dot); // loss = (1 + 2)^2
        Assert.Equal([1f, 2f], s.GetVariable(w).ToArray<float>());
    }

    [Fact]
    public void MissingGraphvizStillWritesDotAndSaysHowToInstall()
    {
        var ex = new ReferenceExample();
        using var s = new Session(ex.Graph);
        var r = new GraphRenderer(ex.Graph, new RenderOptions { Session = s, Feeds = ex.Feeds(), Output = ex.G, Layout = PictureLayout.Graphviz, DotExecutable = "/nonexistent/dot" });
        string dir = Directory.CreateTempSubdirectory("nabla-viz").FullName;
        var e = Assert.Throws<GraphvizException>(() => r.Save(Path.Combine(dir, "g.svg")));
        Assert.Contains("apt-get install graphviz", e.Message);
        Assert.Contains("26", File.ReadAllText(Path.Combine(dir, "g.dot")));
        Assert.False(File.Exists(Path.Combine(dir, "g.svg")));
        Assert.Throws<InvalidGraphArgumentException>(() => r.Save(Path.Combine(dir, "g.jpeg")));
    }

    [ToolFact("dot")]
    public void GraphvizDrawsSvgAndPng()
    {
        Tools.Require("dot");
        var r = PictureGraphs.Renderer("reference", PictureLayout.Graphviz);
        string svg = r.ToSvg();
        Assert.Contains("<svg", svg);
        Assert.Contains(">26<", svg);
        Assert.Contains("∂e/∂a = 2", svg);
        byte[] png = r.ToPng();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }
}
