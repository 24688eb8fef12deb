namespace Nabla.Samples.Tests;

/// <summary>Each sample runs and prints what an independent computation says it should.</summary>
public class SampleTests
{
    [Fact]
    public async Task ReferenceExampleGivesTheHandDerivedGradientInBothModes()
    {
        string output = await Sample.RunAsync("ReferenceExample");
        double a = 3, b = 2, c = 4, d = 5;
        Assert.Equal(a * b + c * d, Sample.Number(output, "g = a*b + c*d"));
        // g = ab + cd: dg/da = b, dg/db = a, dg/dc = d, dg/dd = c, and d²g/dadb = 1.
        foreach (var mode in new[] { "reverse mode", "forward mode" })
        {
            Assert.Equal(b, Sample.Number(output, $"{mode}: dg/da"));
            Assert.Equal(a, Sample.Number(output, $"{mode}: dg/db"));
            Assert.Equal(d, Sample.Number(output, $"{mode}: dg/dc"));
            Assert.Equal(c, Sample.Number(output, $"{mode}: dg/dd"));
        }
        Assert.Equal(1, Sample.Number(output, "d2g/dadb"));
    }

    [Fact]
    public async Task LinearRegressionRecoversTheCoefficientsTheDataWasMadeWith()
    {
        string output = await Sample.RunAsync("LinearRegression");
        // The data is y = 2.5 x1 − 1.5 x2 + 0.75 plus noise uniform in ±0.025 over 500 points.
        Assert.Equal(2.5, Sample.Number(output, "w1"), 0.01);
        Assert.Equal(-1.5, Sample.Number(output, "w2"), 0.01);
        Assert.Equal(0.75, Sample.Number(output, "b"), 0.01);
        Assert.InRange(Sample.Number(output, "final loss"), 0, 0.025 * 0.025);
    }

    [Fact]
    public async Task CustomOpMatchesSoftplusAndItsDerivativeWrittenOut()
    {
        string output = await Sample.RunAsync("CustomOp");
        static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        var lines = output.Split('\n');
        double[] at = [-2, 0.5, 3];
        for (int i = 0; i < at.Length; i++)
        {
            var line = Assert.Single(lines, l => l.StartsWith($"x = {at[i]}:", StringComparison.Ordinal));
            Assert.Equal(Softplus(at[i]), Sample.Number(line, "softplus"), 1e-12);
            // d/dx Σ softplus(x)² = 2 softplus(x) σ(x)
            Assert.Equal(2 * Softplus(at[i]) * Sigmoid(at[i]), Sample.Number(line, "d(sum softplus^2)/dx"), 1e-12);
        }
        var forward = output[(output.IndexOf("dsoftplus/dx = [", StringComparison.Ordinal) + 16)..].Split(']')[0].Split(", ").Select(double.Parse).ToArray();
        Assert.Equal(at.Select(Sigmoid), forward, (p, q) => Math.Abs(p - q) < 1e-12);
    }

    [Fact]
    public async Task MnistMlpLearnsTheShippedSubset()
    {
        string output = await Sample.RunAsync("MnistMlp");
        var accuracy = System.Text.RegularExpressions.Regex.Match(output, @"test accuracy: (\d+) of (\d+)");
        Assert.True(accuracy.Success, output);
        int correct = int.Parse(accuracy.Groups[1].Value), total = int.Parse(accuracy.Groups[2].Value);
        Assert.Equal(1000, total);                                     // the shipped subset's test images
        Assert.InRange(correct, 850, 1000);                            // chance is 100 of 1000
        Assert.True(Sample.Number(output, "epoch 3: mean training loss") < Sample.Number(output, "epoch 1: mean training loss"));
    }
}
