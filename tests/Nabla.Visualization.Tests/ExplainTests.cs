using System.Text.RegularExpressions;

namespace Nabla.Visualization.Tests;

public class ExplainTests
{
    private static string Explain(string text, params (string Name, double Value)[] values)
    {
        var ex = Expression.Parse(text);
        return Explainer.Explain(ex, ex.Feeds(values.ToDictionary(v => v.Name, v => v.Value)));
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void ReferenceExampleReadsLikeTheArticle()
    {
        var lines = Lines(Explain("a*b + c*d", ("a", 3), ("b", 2), ("c", 4), ("d", 5)));
        Assert.Contains("dg/da = ∂g/∂e · ∂e/∂a = 1 · 2 = 2", lines);
        Assert.Contains("dg/db = ∂g/∂e · ∂e/∂b = 1 · 3 = 3", lines);
        Assert.Contains("dg/dc = ∂g/∂f · ∂f/∂c = 1 · 5 = 5", lines);
        Assert.Contains("dg/dd = ∂g/∂f · ∂f/∂d = 1 · 4 = 4", lines);
        Assert.Contains("  e = a * b = 6", lines);
        Assert.Contains("  g = e + f = 26", lines);
    }

    [Fact]
    public void TwoPathsToAVariableAreSummed()
    {
        var lines = Lines(Explain("x*y + x", ("x", 3), ("y", 2)));
        Assert.Contains("dg/dx = ∂g/∂e · ∂e/∂x + ∂g/∂x = 1 · 2 + 1 = 3", lines);
        Assert.Contains("    path x → e → g: 2", lines);
        Assert.Contains("    path x → g: 1", lines);
        Assert.Contains("    2 paths summed: 3; reverse mode gives 3", lines);
        Assert.Contains("dg/dy = ∂g/∂e · ∂e/∂y = 1 · 3 = 3", lines);
    }

    [Fact]
    public void TwoPathsThroughOneOpNameTheOperandEachGoesThrough()
    {
        var lines = Lines(Explain("x*x + sin(x)", ("x", 3)));
        // d(x² + sin x)/dx = 2x + cos x, with x·x contributing x through each operand.
        string cos3 = ValueFormat.Number(Math.Cos(3)), total = ValueFormat.Number(2 * 3 + Math.Cos(3));
        Assert.Contains($"dg/dx = ∂g/∂e · ∂e/∂x (left) + ∂g/∂e · ∂e/∂x (right) + ∂g/∂f · ∂f/∂x = 1 · 3 + 1 · 3 + 1 · ({cos3}) = {total}", lines);
        Assert.Contains("    path x → e (left) → g: 3", lines);
        Assert.Contains("    path x → e (right) → g: 3", lines);
        Assert.Contains($"    path x → f → g: {cos3}", lines);
    }

    [Fact]
    public void PathSumsAgreeWithReverseModeOnALongerExpression()
    {
        string text = Explain("x*x*y + sin(x*y) - x/y", ("x", 1.5), ("y", -0.5));
        var sums = Regex.Matches(text, @"(\d+) paths summed: (\S+); reverse mode gives (\S+)");
        Assert.NotEmpty(sums);
        foreach (Match m in sums) Assert.Equal(m.Groups[2].Value, m.Groups[3].Value);
        Assert.Contains("dg/dy = ", text);
        Assert.Contains("(-0.5)", text);
    }

    [Fact]
    public void CostComesFromThePlansWithOneSweepPerVariableInForwardMode()
    {
        string text = Explain("a*b + c*d", ("a", 3), ("b", 2), ("c", 4), ("d", 5));
        var forwardPass = int.Parse(Regex.Match(text, @"forward pass alone:\s+(\d+) ops").Groups[1].Value);
        var reverse = int.Parse(Regex.Match(text, @"reverse mode:\s+(\d+) ops").Groups[1].Value);
        var forward = Regex.Match(text, @"forward mode:\s+(\d+) ops \(4 sweeps, one per variable: ([\d + ]+)\)");
        Assert.True(forward.Success, text);
        var sweeps = forward.Groups[2].Value.Split(" + ").Select(int.Parse).ToArray();
        Assert.Equal(4, sweeps.Length);
        Assert.Equal(sweeps.Sum(), int.Parse(forward.Groups[1].Value));
        Assert.Equal(3, forwardPass);
        Assert.All(sweeps, s => Assert.True(s > forwardPass));
        Assert.True(reverse > forwardPass && reverse < sweeps.Sum(), text);
    }

    [Fact]
    public void PlanStepCountIsTheNumberOfOpsARunExecutes()
    {
        var ex = Expression.Parse("a*b + c*d");
        using var s = new Session(ex.Graph);
        var feeds = ex.Feeds(new Dictionary<string, double> { ["a"] = 3, ["b"] = 2, ["c"] = 4, ["d"] = 5 });
        Assert.Equal(3, s.PlanStepCount([ex.Output], feeds));
        Assert.Equal(1, s.PlanStepCount([ex.Intermediates[0]], feeds));
        Assert.Equal(0, s.PlanStepCount([ex.Variables[0]], feeds));
    }
}
