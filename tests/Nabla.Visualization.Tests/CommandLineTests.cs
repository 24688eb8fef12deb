namespace Nabla.Visualization.Tests;

public class CommandLineTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Nabla.Cli.CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void GradPrintsValuesAndGradientsAndWritesPictures()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-grad").FullName;
        string dot = Path.Combine(dir, "g.dot"), html = Path.Combine(dir, "g.html");
        var (code, output, error) = Run("grad", "a*b + c*d", "a=3", "b=2", "c=4", "d=5", "--dot", dot, "--html", html);
        Assert.True(code == 0, error);
        var lines = Lines(output);
        Assert.Contains("  e = a * b = 6", lines);
        Assert.Contains("  g = e + f = 26", lines);
        Assert.Contains("  a = 3", lines);
        string[] expected = ["dg/da = 2", "dg/db = 3", "dg/dc = 5", "dg/dd = 4", "dg/de = 1", "dg/df = 1", "dg/dg = 1"];
        Assert.All(expected, l => Assert.Contains("  " + l, lines));
        Assert.Contains("dg/da = 2", File.ReadAllText(dot));
        Assert.Contains("∂e/∂a = 2", File.ReadAllText(dot));
        Assert.Contains("id=\"step-info\"", File.ReadAllText(html));
    }

    [Fact]
    public void ExplainPrintsTheChainRule()
    {
        var (code, output, _) = Run("explain", "a*b + c*d", "a=3", "b=2", "c=4", "d=5");
        Assert.Equal(0, code);
        Assert.Contains("dg/da = ∂g/∂e · ∂e/∂a = 1 · 2 = 2", Lines(output));
    }

    [Fact]
    public void GradExplainAndPicturesWriteANumberAlike()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-numbers").FullName;
        string svg = Path.Combine(dir, "g.svg");
        var (_, grad, _) = Run("grad", "sin(x) * y", "x=1", "y=3", "--svg", svg);
        var (_, explain, _) = Run("explain", "sin(x) * y", "x=1", "y=3");
        // sin(1) = 0.8414709848..., written with six significant digits everywhere.
        string sin1 = Math.Sin(1).ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("0.841471", sin1);
        Assert.Contains($"  e = sin(x) = {sin1}", Lines(grad));
        Assert.Contains($"  e = sin(x) = {sin1}", Lines(explain));
        Assert.Contains($">{sin1}</text>", File.ReadAllText(svg));
        Assert.Contains($"  dg/dy = {sin1}", Lines(grad));
        Assert.Contains($"dg/dy = ∂g/∂y = {sin1}", Lines(explain));
        Assert.Contains($">dg/dy = {sin1}</text>", File.ReadAllText(svg));
    }

    [Theory]
    [InlineData("grad", "a*b", "a=3")]
    [InlineData("grad", "a*b", "a=3", "b=x")]
    [InlineData("grad", "a*b", "a=3", "b=2", "--svg")]
    [InlineData("grad", "a*b", "a=3", "b=2", "--jpeg", "g.jpeg")]
    [InlineData("explain", "a*b", "a=3", "b=2", "--dot", "g.dot")]
    [InlineData("explain", "a*(b", "a=3", "b=2")]
    [InlineData("explain")]
    public void BadArgumentsGiveAMessageAndExitCodeOne(params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(1, code);
        Assert.StartsWith("nabla: ", error);
    }

    [Fact]
    public void DemoWritesThePictureAndKeepsItsOutput()
    {
        string dir = Path.Combine(Directory.CreateTempSubdirectory("nabla-demo").FullName, "out");
        var (code, output, _) = Run("demo", "--out", dir);
        Assert.Equal(0, code);
        var lines = Lines(output);
        Assert.Equal("g = a*b + c*d   with e = a*b, f = c*d", lines[0]);
        Assert.Equal("[2, 3, 5, 4, 1, 1]", lines.Last(l => l.Length > 0));
        Assert.Contains("dg/da = 2", File.ReadAllText(Path.Combine(dir, "reference.dot")));
        Assert.Contains(">26</text>", File.ReadAllText(Path.Combine(dir, "reference.svg")));
    }
}
