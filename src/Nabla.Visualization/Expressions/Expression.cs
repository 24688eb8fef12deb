namespace Nabla.Visualization;

/// <summary>
/// An arithmetic expression compiled into a graph of float64 scalars. Variables become placeholders named
/// after themselves; intermediate results get one-letter names (see <see cref="ExpressionNames"/>), so
/// <c>a*b + c*d</c> reads e = a*b, f = c*d, g = e + f.
/// </summary>
public sealed class Expression
{
    private Expression(string text, Graph graph, Node output, IReadOnlyList<Node> variables, IReadOnlyList<Node> intermediates,
        IReadOnlyDictionary<Node, string> definitions)
    {
        Text = text;
        Graph = graph;
        Output = output;
        Variables = variables;
        Intermediates = intermediates;
        Definitions = definitions;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The graph built from the expression: a placeholder per variable, a node per operation.</summary>
    public Graph Graph { get; }

    /// <summary>The node whose value is the expression.</summary>
    public Node Output { get; }

    /// <summary>One scalar placeholder per variable, in order of first appearance.</summary>
    public IReadOnlyList<Node> Variables { get; }

    /// <summary>Every op node in order of creation; the output is last when it is an op.</summary>
    public IReadOnlyList<Node> Intermediates { get; }

    /// <summary>For each op node, its definition in terms of its inputs' names, e.g. "a * b" or "exp(e)".</summary>
    public IReadOnlyDictionary<Node, string> Definitions { get; }

    /// <summary>Parses <paramref name="text"/> and builds its graph. Throws <see cref="ExpressionSyntaxException"/> on bad syntax.</summary>
    public static Expression Parse(string text)
    {
        var syntax = ExpressionParser.Parse(text);
        var builder = new ExpressionBuilder(syntax);
        var output = builder.Build();
        return new Expression(text, builder.Graph, output, builder.Variables, builder.Intermediates, builder.Definitions);
    }

    /// <summary>Feeds from "name=value" pairs; every variable needs exactly one value.</summary>
    public Feeds Feeds(IReadOnlyDictionary<string, double> values)
    {
        var feeds = new Feeds();
        foreach (var name in values.Keys)
            if (Variables.All(v => v.Name != name))
                throw new FeedException($"'{name}' is not a variable of '{Text}'; its variables are {string.Join(", ", Variables.Select(v => v.Name))}.");
        foreach (var v in Variables)
        {
            if (!values.TryGetValue(v.Name, out double value))
                throw new MissingFeedException($"No value for variable '{v.Name}' of '{Text}': add {v.Name}=<number>.");
            feeds[v] = Tensor.Scalar(value, DType.Float64);
        }
        return feeds;
    }
}
