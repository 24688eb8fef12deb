namespace Nabla.Visualization.Tests;

public class ExpressionParserTests
{
    private static double Eval(string text, params (string Name, double Value)[] values)
    {
        var ex = Expression.Parse(text);
        using var s = new Session(ex.Graph);
        return s.Run(ex.Output, ex.Feeds(values.ToDictionary(v => v.Name, v => v.Value))).Scalar<double>();
    }

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 3 - 2", 5)]
    [InlineData("8 / 2 / 2", 2)]
    [InlineData("2 ^ 3 ^ 2", 512)]
    [InlineData("(2 ^ 3) ^ 2", 64)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("--3", 3)]
    [InlineData("-3 * -2", 6)]
    [InlineData("2 * 3 ^ 2", 18)]
    [InlineData("1.5e1 + .5", 15.5)]
    [InlineData("sigmoid(0) + relu(-1) + abs(-2) + sqrt(4) + exp(0) + log(1) + sin(0) + cos(0) + tanh(0)", 6.5)]
    public void PrecedenceAssociativityAndFunctions(string text, double expected) =>
        Assert.Equal(expected, Eval(text), 12);

    [Fact]
    public void UnaryMinusBindsLooserThanPower()
    {
        Assert.Equal(-9, Eval("-x^2", ("x", 3)), 12);
        Assert.Equal(9, Eval("(-x)^2", ("x", 3)), 12);
        Assert.Equal(-1, Eval("x - -y^0", ("x", -2), ("y", 5)), 12);
    }

    [Fact]
    public void IntermediatesAreNamedLikeTheReferenceExample()
    {
        var ex = Expression.Parse("a*b + c*d");
        Assert.Equal(["a", "b", "c", "d"], ex.Variables.Select(v => v.Name));
        Assert.Equal(["e", "f", "g"], ex.Intermediates.Select(n => n.Name));
        Assert.Equal("g", ex.Output.Name);
        Assert.Equal("e + f", ex.Definitions[ex.Output]);
        Assert.Equal("a * b", ex.Definitions[ex.Intermediates[0]]);
    }

    [Fact]
    public void NamesSkipVariablesAndTheOutputAvoidsAVariableCalledG()
    {
        var ex = Expression.Parse("e*f + exp(x) / g");
        Assert.Equal(["e", "f", "x", "g"], ex.Variables.Select(v => v.Name));
        // e, f and g are variables: intermediates take h, i, j and the output the next free letter.
        Assert.Equal(["h", "i", "j", "k"], ex.Intermediates.Select(n => n.Name));
        Assert.Equal("k", ex.Output.Name);
    }

    [Fact]
    public void RepeatedNumbersShareOneConstant()
    {
        var ex = Expression.Parse("x^2 / 2");
        Assert.Equal("e / 2", ex.Definitions[ex.Output]);
    }

    [Theory]
    [InlineData("a*(b+)", 6, "a number, a variable")]
    [InlineData("a*(b+c", 7, "')'")]
    [InlineData("2 3", 3, "an operator")]
    [InlineData("foo(x)", 1, "one of the functions")]
    [InlineData("exp x", 5, "'('")]
    [InlineData("a $ b", 3, "an operator")]
    [InlineData("", 1, "a number, a variable")]
    [InlineData("x^", 3, "a number, a variable")]
    public void SyntaxErrorsPointAtTheColumn(string text, int column, string expected)
    {
        var e = Assert.Throws<ExpressionSyntaxException>(() => Expression.Parse(text));
        Assert.Equal(column, e.Column);
        Assert.Contains(expected, e.Expected);
        Assert.Contains($"column {column}", e.Message);
        Assert.Contains(new string(' ', column - 1) + "^", e.Message);
    }

    [Fact]
    public void DeepNestingIsASyntaxErrorNotACrash()
    {
        Assert.Equal(1, Eval(new string('(', 100) + "1" + new string(')', 100)), 12);
        var e = Assert.Throws<ExpressionSyntaxException>(() => Expression.Parse(new string('(', 10_000) + "1" + new string(')', 10_000)));
        Assert.Contains("nested", e.Expected);
    }

    [Fact]
    public void MissingAndUnknownVariablesAreTypedErrors()
    {
        var ex = Expression.Parse("a + b");
        Assert.Throws<MissingFeedException>(() => ex.Feeds(new Dictionary<string, double> { ["a"] = 1 }));
        Assert.Throws<FeedException>(() => ex.Feeds(new Dictionary<string, double> { ["a"] = 1, ["b"] = 2, ["z"] = 3 }));
    }

    [Fact]
    public void GradientsMatchCentralDifferences()
    {
        const string text = "-x^2 + sin(x)*exp(y)/2 + sigmoid(x*y) - log(y) + sqrt(x + y) * tanh(y) + abs(x - 3*y) + relu(x)";
        var ex = Expression.Parse(text);
        using var s = new Session(ex.Graph);
        var point = new Dictionary<string, double> { ["x"] = 0.7, ["y"] = 1.3 };
        var grads = s.Run(ex.Graph.Gradients(ex.Output, ex.Variables.ToArray()), ex.Feeds(point));
        const double h = 1e-6;
        for (int i = 0; i < ex.Variables.Count; i++)
        {
            string name = ex.Variables[i].Name;
            var up = new Dictionary<string, double>(point) { [name] = point[name] + h };
            var down = new Dictionary<string, double>(point) { [name] = point[name] - h };
            double numeric = (s.Run(ex.Output, ex.Feeds(up)).Scalar<double>() - s.Run(ex.Output, ex.Feeds(down)).Scalar<double>()) / (2 * h);
            Assert.Equal(numeric, grads[i].Scalar<double>(), 6);
        }
    }
}
