namespace Nabla.Visualization.Tests;

public class ExpressionLimitTests
{
    [Theory]
    [InlineData("+")]
    [InlineData("*")]
    [InlineData("-")]
    public void AVeryLongOperatorChainIsASyntaxErrorNotAStackOverflow(string op)
    {
        string text = string.Join(op, Enumerable.Repeat("a", 20_000));
        var e = Assert.Throws<ExpressionSyntaxException>(() => Expression.Parse(text));
        Assert.Contains($"at most {ExpressionParser.MaxOperators} operators", e.Message);
    }

    [Fact]
    public void AChainAtTheLimitBuildsAndEvaluates()
    {
        string text = string.Join("+", Enumerable.Repeat("a", ExpressionParser.MaxOperators + 1));
        var ex = Expression.Parse(text);
        using var s = new Session(ex.Graph);
        var value = s.Run(ex.Output, ex.Feeds(new Dictionary<string, double> { ["a"] = 2 })).Scalar<double>();
        Assert.Equal(2.0 * (ExpressionParser.MaxOperators + 1), value);
    }
}
