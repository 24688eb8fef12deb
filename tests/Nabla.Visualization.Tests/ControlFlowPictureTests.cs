using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Nabla.Visualization.Tests;

/// <summary>
/// Control-flow nodes draw as clusters holding their functions' nodes: in the managed SVG (checked by geometry: every
/// body node's box lies inside the cluster's frame), in DOT (checked by brace structure, and by Graphviz's own layout
/// when dot is installed), with what they do and how their gradient is computed in words.
/// </summary>
public class ControlFlowPictureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void TheScanClusterHoldsTheStepNodesInTheManagedSvg()
    {
        var (renderer, scan, step) = PictureGraphs.RnnScan();
        var svg = XDocument.Parse(renderer.ToSvg());
        var frame = Frame(svg, $"cluster{scan.Id}");
        foreach (var n in new[] { step, step.Inputs[0] })
        {
            var box = Box(svg, $"c{scan.Id}s0_node{n.Id}");
            Assert.True(Inside(box, frame), $"body node {n.Name} [{string.Join(", ", box)}] is outside the Scan's cluster [{string.Join(", ", frame)}]");
        }
        // Every outer node lies outside the cluster.
        foreach (var g in svg.Descendants(Svg + "g").Where(g => Regex.IsMatch((string?)g.Attribute("id") ?? "", @"^node\d+$") && (string?)g.Attribute("id") != $"node{scan.Id}"))
            Assert.False(Overlap(Box(svg, (string)g.Attribute("id")!), frame), $"outer node {g.Attribute("data-name")} overlaps the cluster");
        string text = string.Concat(svg.Descendants(Svg + "text").Select(t => t.Value + "\n"));
        Assert.Contains("Scan: 5 steps, t = 0 … 4", text);
        Assert.Contains("carried to carry 0", text);
        Assert.Contains("captured", text);
        Assert.Contains("initial carry 0", text);
        Assert.Contains("elements 0", text);
    }

    [Fact]
    public void AReverseScanSaysItsDirection()
    {
        var (renderer, _, _) = PictureGraphs.RnnScan(reverse: true);
        Assert.Contains("Scan: 5 steps, reverse, t = 4 … 0", renderer.ToSvg());
    }

    [Theory]
    [InlineData(2f, "true branch (taken)", "false branch (not taken)")]
    [InlineData(-2f, "false branch (taken)", "true branch (not taken)")]
    public void TheCondClusterMarksTheTakenBranch(float x, string taken, string notTaken)
    {
        var (renderer, cond) = PictureGraphs.Cond(PictureLayout.Managed, x);
        string svg = renderer.ToSvg();
        Assert.Contains(taken, svg);
        Assert.Contains(notTaken, svg);
        var doc = XDocument.Parse(svg);
        var frame = Frame(doc, $"cluster{cond.Id}");
        var info = cond.ControlFlow!;
        foreach (var (function, k) in info.Functions.Select((f, k) => (f, k)))
            foreach (var r in function.Body.Results)
                Assert.True(Inside(Box(doc, $"c{cond.Id}s{k}_node{r.Id}"), frame), $"{function.Role} result {r.Name} is outside the cluster");
    }

    [Theory]
    [InlineData(10f)]
    [InlineData(0.5f)]
    [InlineData(1000f)]
    public void TheWhileLoopClusterSaysHowManyIterationsRan(float v0)
    {
        // The count by a loop written here: halve while above 1, at most 20 times.
        int expected = 0;
        for (float v = v0; v > 1f && expected < 20; v *= 0.5f) expected++;
        var (renderer, loop) = PictureGraphs.WhileLoop(PictureLayout.Managed, v0);
        string svg = renderer.ToSvg();
        Assert.Contains($"WhileLoop: ran {expected} iteration{(expected == 1 ? "" : "s")} (at most 20)", svg);
        var doc = XDocument.Parse(svg);
        var frame = Frame(doc, $"cluster{loop.Id}");
        var body = loop.ControlFlow!.Functions[1].Body;
        Assert.True(Inside(Box(doc, $"c{loop.Id}s1_node{body.Results[0].Id}"), frame));
        Assert.Contains("condition: keep going while true", svg);
        Assert.Contains("carried to variable 0", svg);
    }

    [Theory]
    [InlineData("rnn-scan")]
    [InlineData("cond")]
    [InlineData("while-loop")]
    public void TheDotTextNestsTheBodyInASubgraphCluster(string graph)
    {
        var renderer = PictureGraphs.Renderer(graph);
        string dot = renderer.ToDot();
        var node = ControlFlowNode(graph);
        string cluster = Block(dot, $"subgraph \"cluster_cf{node.Id}\"");
        var info = node.ControlFlow!;
        for (int k = 0; k < info.Functions.Count; k++)
        {
            string section = Block(cluster, $"subgraph \"cluster_c{node.Id}s{k}_\"");
            foreach (var r in info.Functions[k].Body.Results)
                Assert.Contains($"c{node.Id}s{k}_n{r.Id} [", section);
        }
        Assert.Contains($"n{node.Id} [", cluster);
        // Body nodes are declared only inside the cluster (edges from outside may name them).
        Assert.DoesNotMatch(new Regex($@"^\s*c{node.Id}s\d+_n\d+ \[", RegexOptions.Multiline), dot.Replace(cluster, ""));
    }

    [Fact]
    public void AConstructInsideABodyNestsItsClusterInsideTheOuterOne()
    {
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(3, 2));
        Node inner = null!;
        var (last, _) = g.Scan((c, x) =>
        {
            var pre = c[0] + x[0];
            var next = g.Cond(pre.Sum().Greater(0f), () => pre.Tanh(), () => -pre, name: "gate");
            inner = next.Op.Type == "Cond" ? next : next.Inputs[0];
            return new ScanStep([next], []);
        }, [g.Constant(Tensor.Zeros(new Shape(2)))], [xs], name: "rnn");
        var scan = g.Nodes.First(n => n.ControlFlow is not null);
        var renderer = new GraphRenderer(g, new RenderOptions { Fetches = [last[0]] });
        var svg = XDocument.Parse(renderer.ToSvg());
        var outer = Frame(svg, $"cluster{scan.Id}");
        var nested = Frame(svg, $"c{scan.Id}s0_cluster{inner.Id}");
        Assert.True(Inside(nested, outer), "the Cond's cluster is outside the Scan's");
        var tanh = inner.ControlFlow!.Functions[0].Body.Results[0];
        Assert.True(Inside(Box(svg, $"c{scan.Id}s0_c{inner.Id}s0_node{tanh.Id}"), nested), "the true branch's Tanh is outside the Cond's cluster");
        string dot = renderer.ToDot();
        string scanCluster = Block(dot, $"subgraph \"cluster_cf{scan.Id}\"");
        string condCluster = Block(scanCluster, $"subgraph \"cluster_c{scan.Id}s0_cf{inner.Id}\"");
        Assert.Contains($"c{scan.Id}s0_c{inner.Id}s0_n{tanh.Id} [", condCluster);
    }

    [ToolFact("dot")]
    public void GraphvizDrawsTheScanBodyInsideItsCluster()
    {
        var (renderer, scan, step) = PictureGraphs.RnnScan(PictureLayout.Graphviz);
        var svg = XDocument.Parse(renderer.ToSvg());
        var groups = svg.Descendants(Svg + "g").ToList();
        var cluster = groups.Single(g => g.Attribute("class")?.Value == "cluster" && g.Element(Svg + "title")?.Value == $"cluster_cf{scan.Id}");
        var frame = Bounds(cluster.Descendants().First(e => e.Name == Svg + "path" || e.Name == Svg + "polygon"));
        var body = groups.Single(g => g.Attribute("class")?.Value == "node" && g.Element(Svg + "title")?.Value == $"c{scan.Id}s0_n{step.Id}");
        var box = Bounds(body.Descendants().First(e => e.Name == Svg + "path" || e.Name == Svg + "polygon"));
        Assert.True(Inside(box, frame), $"Graphviz put the step's {step.Name} [{string.Join(", ", box)}] outside the cluster [{string.Join(", ", frame)}]");
    }

    [ToolTheory("dot")]
    [InlineData("cond")]
    [InlineData("while-loop")]
    public void GraphvizDrawsEveryFunctionAsAClusterOfItsOwn(string graph)
    {
        var node = ControlFlowNode(graph);
        var svg = XDocument.Parse(PictureGraphs.Renderer(graph, PictureLayout.Graphviz).ToSvg());
        var titles = svg.Descendants(Svg + "g").Where(g => g.Attribute("class")?.Value == "cluster").Select(g => g.Element(Svg + "title")?.Value).ToHashSet();
        Assert.Contains($"cluster_cf{node.Id}", titles);
        Assert.Contains($"cluster_c{node.Id}s0_", titles);
        Assert.Contains($"cluster_c{node.Id}s1_", titles);
    }

    [Fact]
    public void ThePngOfAPictureWithClustersIsDrawn()
    {
        byte[] png = PictureGraphs.Renderer("rnn-scan").ToPng();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        var svg = XDocument.Parse(PictureGraphs.Renderer("rnn-scan").ToSvg());
        Assert.Equal(2 * double.Parse(svg.Root!.Attribute("width")!.Value, CultureInfo.InvariantCulture), bitmap.Width, 1.0);
    }

    [Fact]
    public void TheHtmlPageExplainsTheConstructInItsForwardStep()
    {
        string html = PictureGraphs.Renderer("rnn-scan").ToHtml();
        Assert.Contains("the forward pass stores the carry entering each step", html);
        Assert.Contains("runs a Scan the other way over those stored carries", html);
    }

    [Fact]
    public void DescribeSaysWhatEachConstructDoesAndHowItsGradientIsComputed()
    {
        var (_, scan, _) = PictureGraphs.RnnScan();
        string s = Explainer.Describe(scan);
        Assert.Contains("runs its step 5 times, from the first row to the last", s);
        Assert.Contains("step's VJP", s);
        Assert.Contains("The outer nodes it uses (Wx, Wh) are captured", s);
        var (_, cond) = PictureGraphs.Cond(PictureLayout.Managed, 2f);
        Assert.Contains("only the taken branch's VJP runs", Explainer.Describe(cond));
        var g = new Graph();
        var v = g.Placeholder("v", Shape.Scalar);
        var unbounded = g.WhileLoop(s => s[0].Greater(1f), s => [s[0] * 0.5f], [v])[0];
        using var session = new Session(g);
        string w = Explainer.Describe(unbounded.Op.Type == "WhileLoop" ? unbounded : unbounded.Inputs[0], session, new Feeds { [v] = Tensor.Scalar(8f) });
        Assert.Contains("here it ran 3 iterations", w);
        Assert.Contains("Gradients refuses this loop", w);
        Assert.Throws<InvalidGraphArgumentException>(() => Explainer.Describe(v));
    }

    [Fact]
    public void DescribeGivesTheTextDocsControlFlowShows()
    {
        var g = new Graph();
        var a = g.Placeholder("a", Shape.Scalar);
        g.WhileLoop(v => v[0].Greater(1f), v => [v[0] * 0.5f], [a], maximumIterations: 20, name: "halve");
        var loop = g.Nodes.First(n => n.ControlFlow is not null);
        using var session = new Session(g);
        string text = Explainer.Describe(loop, session, new Feeds { [a] = Tensor.Scalar(10f) });
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "CONTROL_FLOW.md"));
        var printed = Regex.Match(docs, "prints\n\n```\n(?<text>[^`]*)```").Groups["text"].Value;
        Assert.Equal(string.Join(" ", printed.Split('\n', StringSplitOptions.RemoveEmptyEntries)), text);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.sln"))) return dir.FullName;
        throw new Xunit.Sdk.XunitException("the repository root (with Nabla.sln) is not above the test's folder");
    }

    private static Node ControlFlowNode(string graph) => graph switch
    {
        "rnn-scan" => PictureGraphs.RnnScan().Scan,
        "cond" => PictureGraphs.Cond(PictureLayout.Managed, 2f).Cond,
        _ => PictureGraphs.WhileLoop(PictureLayout.Managed, 10f).Loop,
    };

    /// <summary>The text from <paramref name="header"/> to its matching closing brace.</summary>
    private static string Block(string text, string header)
    {
        int start = text.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{header}' in:\n{text}");
        int depth = 0;
        for (int i = text.IndexOf('{', start); i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[start..(i + 1)];
        }
        throw new Xunit.Sdk.XunitException($"'{header}' is not closed");
    }

    /// <summary>A cluster frame's rectangle [left, top, right, bottom] in picture coordinates.</summary>
    private static double[] Frame(XDocument svg, string id) => Rect(Element(svg, id).Element(Svg + "rect")!);

    /// <summary>A node box's rectangle in picture coordinates, following the translations of the groups around it.</summary>
    private static double[] Box(XDocument svg, string id) => Rect(Element(svg, id).Element(Svg + "rect")!);

    private static XElement Element(XDocument svg, string id) =>
        svg.Descendants().SingleOrDefault(e => (string?)e.Attribute("id") == id) ?? throw new Xunit.Sdk.XunitException($"no element with id '{id}' in the SVG");

    private static double[] Rect(XElement rect)
    {
        double D(string name) => double.Parse(rect.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        var (dx, dy) = (0.0, 0.0);
        foreach (var g in rect.Ancestors(Svg + "g"))
            if (g.Attribute("transform")?.Value is { } t && Regex.Match(t, @"translate\(([-\d.]+),([-\d.]+)\)") is { Success: true } m)
            {
                dx += double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                dy += double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        return [D("x") + dx, D("y") + dy, D("x") + dx + D("width"), D("y") + dy + D("height")];
    }

    /// <summary>The bounding box of a Graphviz path or polygon (its points), in its own coordinates.</summary>
    private static double[] Bounds(XElement shape)
    {
        string data = shape.Attribute("points")?.Value ?? shape.Attribute("d")!.Value;
        var numbers = Regex.Matches(data, @"-?\d+(\.\d+)?").Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        var xs = numbers.Where((_, i) => i % 2 == 0).ToArray();
        var ys = numbers.Where((_, i) => i % 2 == 1).ToArray();
        return [xs.Min(), ys.Min(), xs.Max(), ys.Max()];
    }

    private static bool Inside(double[] inner, double[] outer) =>
        inner[0] >= outer[0] - 0.5 && inner[1] >= outer[1] - 0.5 && inner[2] <= outer[2] + 0.5 && inner[3] <= outer[3] + 0.5;

    private static bool Overlap(double[] a, double[] b) =>
        Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]) > 0.5 && Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]) > 0.5;
}
