using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace Nabla.Visualization.Tests;

/// <summary>SVG and PNG pictures drawn without Graphviz.</summary>
public class ManagedPictureTests
{
    [Fact]
    public void SvgHoldsValuesGradientsAndPartialsWithoutGraphviz()
    {
        string svg = PictureGraphs.Renderer("reference").ToSvg();
        var values = Regex.Matches(svg, $"class=\"value\"[^>]*fill=\"{Palette.Value}\">([^<]*)<").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal([2, 3, 4, 5, 6, 20, 26], values.Order());
        var gradients = Regex.Matches(svg, $"fill=\"{Palette.Gradient}\">dg/d(\\w) = ([^<]*)<").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["2", "3", "5", "4", "1", "1", "1"], "abcdefg".Select(c => gradients[c.ToString()]));
        Assert.Contains(">∂e/∂a = 2<", svg);
        Assert.Contains(">∂f/∂d = 4<", svg);
        Assert.Equal(6, Regex.Matches(svg, "class=\"edge\"").Count);
        Assert.Equal(7, Regex.Matches(svg, "class=\"node ").Count);
        Assert.Equal(4, Regex.Matches(svg, $"class=\"node placeholder\"[^>]*><title>[^<]*</title><rect [^>]*fill=\"{Palette.Placeholder}\"").Count);
    }

    [Fact]
    public void TwoEdgesIntoOneOpSayWhichOperandEachIs()
    {
        string svg = PictureGraphs.Renderer("x*x + sin(x)").ToSvg();
        Assert.Contains(">∂e/∂x (left) = 3<", svg);
        Assert.Contains(">∂e/∂x (right) = 3<", svg);
        Assert.Contains($">∂f/∂x = {ValueFormat.Number(Math.Cos(3))}<", svg);
        Assert.Contains($">dg/dx = {ValueFormat.Number(6 + Math.Cos(3))}<", svg);
    }

    [Fact]
    public void AModelsLossIsDrawnAndTitledAsLoss()
    {
        string html = PictureGraphs.Renderer("mlp-training").ToHtml();
        Assert.Contains("<title>Backpropagation through loss</title>", html);
        Assert.Contains("data-name=\"loss\"", html);
    }

    [Fact]
    public void PngIsTheSvgDrawnAtTwiceItsSizeWithItsColouredText()
    {
        var r = PictureGraphs.Renderer("reference");
        var size = Regex.Match(r.ToSvg(), "width=\"(\\d+)\" height=\"(\\d+)\"");
        using var bitmap = SKBitmap.Decode(r.ToPng());
        Assert.NotNull(bitmap);
        Assert.Equal(2 * int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), bitmap.Width);
        Assert.Equal(2 * int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture), bitmap.Height);
        // Text was drawn (a font was found): pixels of the value green and the gradient red are there.
        Assert.True(CountNear(bitmap, SKColor.Parse(Palette.Value)) > 200, "no green value text in the PNG");
        Assert.True(CountNear(bitmap, SKColor.Parse(Palette.Gradient)) > 200, "no red gradient text in the PNG");
        Assert.Equal(SKColors.White, bitmap.GetPixel(1, 1));
    }

    [Fact]
    public void SaveWritesSvgAndPngWithoutDotAndGraphvizLayoutStillNeedsIt()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-managed").FullName;
        var ex = new Nabla.Examples.ReferenceExample();
        using var s = new Session(ex.Graph);
        var managed = new GraphRenderer(ex.Graph, new RenderOptions { Session = s, Feeds = ex.Feeds(), Output = ex.G, DotExecutable = "/nonexistent/dot" });
        managed.Save(Path.Combine(dir, "g.svg"));
        managed.Save(Path.Combine(dir, "g.png"));
        Assert.Contains(">26</text>", File.ReadAllText(Path.Combine(dir, "g.svg")));
        Assert.Equal((byte)'P', File.ReadAllBytes(Path.Combine(dir, "g.png"))[1]);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void AVeryWidePictureIsScaledDownToTheLongestSideAllowed()
    {
        string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10000\" height=\"500\" viewBox=\"0 0 10000 500\"><rect width=\"10000\" height=\"500\" fill=\"#1a7f37\"/></svg>";
        using var bitmap = SKBitmap.Decode(SvgRasterizer.ToPng(svg));
        Assert.Equal(SvgRasterizer.MaxSide, bitmap.Width);
        Assert.Equal((int)Math.Ceiling(500.0 * SvgRasterizer.MaxSide / 10000), bitmap.Height);
    }

    [Fact]
    public void ACollapsedScopeIsOneBoxWithItsNodeCount()
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar);
        Node h;
        using (g.NameScope("layer1")) h = (x * g.Variable("w", Tensor.Scalar(2f)) + g.Variable("b", Tensor.Scalar(1f))).Tanh();
        var y = h * h;
        using var s = new Session(g);
        string svg = new GraphRenderer(g, new RenderOptions { Session = s, Feeds = new Feeds { [x] = 0.5f }, Output = y, CollapsedScopes = ["layer1"] }).ToSvg();
        Assert.Contains(">5 nodes (collapsed)<", svg);
        Assert.Equal(3, Regex.Matches(svg, "class=\"node ").Count); // x, layer1, y
        Assert.Equal(2, Regex.Matches(svg, "class=\"edge\"").Count); // x → layer1 once, layer1 → y once
    }

    private static int CountNear(SKBitmap bitmap, SKColor color)
    {
        int count = 0;
        foreach (var p in bitmap.Pixels)
            if (Math.Abs(p.Red - color.Red) + Math.Abs(p.Green - color.Green) + Math.Abs(p.Blue - color.Blue) < 40) count++;
        return count;
    }
}
