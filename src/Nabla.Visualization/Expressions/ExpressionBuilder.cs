namespace Nabla.Visualization;

/// <summary>Builds the graph of a parsed expression, naming nodes by <see cref="ExpressionNames"/>.</summary>
internal sealed class ExpressionBuilder
{
    private readonly Syntax _root;
    private readonly Dictionary<string, Node> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<double, Node> _constants = [];
    private readonly ExpressionNames _names;

    public ExpressionBuilder(Syntax root)
    {
        _root = root;
        _names = new ExpressionNames(VariableNames(root));
    }

    public Graph Graph { get; } = new();
    public List<Node> Variables { get; } = [];
    public List<Node> Intermediates { get; } = [];
    public Dictionary<Node, string> Definitions { get; } = [];

    public Node Build() => Visit(_root);

    private Node Visit(Syntax syntax) => syntax switch
    {
        NumberSyntax n => Constant(n),
        VariableSyntax v => Variable(v.Name),
        NegateSyntax neg => Apply((x, _, name) => x.Neg(name), [Visit(neg.Operand)], syntax, i => $"-{i[0]}"),
        BinarySyntax b => Binary(b),
        CallSyntax c => Apply(Function(c.Function), [Visit(c.Argument)], syntax, i => $"{c.Function}({i[0]})"),
        _ => throw new InvalidOperationException($"Unknown syntax {syntax.GetType().Name}."),
    };

    private Node Binary(BinarySyntax b)
    {
        Node left = Visit(b.Left), right = Visit(b.Right);
        NodeBuilder build = b.Operator switch
        {
            '+' => (x, y, name) => x.Add(y!, name),
            '-' => (x, y, name) => x.Sub(y!, name),
            '*' => (x, y, name) => x.Mul(y!, name),
            '/' => (x, y, name) => x.Div(y!, name),
            _ => (x, y, name) => Node.Pow(x, y!, name),
        };
        return Apply(build, [left, right], b, i => $"{i[0]} {b.Operator} {i[1]}");
    }

    /// <summary>Builds one named node from one or two operands with the public graph API.</summary>
    private delegate Node NodeBuilder(Node x, Node? y, string name);

    private static NodeBuilder Function(string function) => function switch
    {
        "exp" => (x, _, name) => x.Exp(name),
        "log" => (x, _, name) => x.Log(name),
        "sin" => (x, _, name) => x.Sin(name),
        "cos" => (x, _, name) => x.Cos(name),
        "tanh" => (x, _, name) => x.Tanh(name),
        "sigmoid" => (x, _, name) => x.Sigmoid(name),
        "relu" => (x, _, name) => x.Relu(name),
        "sqrt" => (x, _, name) => x.Sqrt(name),
        _ => (x, _, name) => x.Abs(name),
    };

    private Node Apply(NodeBuilder build, Node[] inputs, Syntax syntax, Func<string[], string> definition)
    {
        string name = syntax == _root ? _names.Output ?? _names.NextFree() : _names.NextFree();
        var node = build(inputs[0], inputs.Length > 1 ? inputs[1] : null, name);
        Intermediates.Add(node);
        Definitions[node] = definition(inputs.Select(i => i.Name).ToArray());
        return node;
    }

    /// <summary>One constant node per distinct number, named by its first spelling, so "x^2 / 2" reads e / 2.</summary>
    private Node Constant(NumberSyntax n)
    {
        if (!_constants.TryGetValue(n.Value, out var node))
            _constants[n.Value] = node = Graph.Scalar(n.Value, DType.Float64, n.Text);
        return node;
    }

    private Node Variable(string name)
    {
        if (!_variables.TryGetValue(name, out var node))
        {
            _variables[name] = node = Graph.Placeholder(name, Shape.Scalar, DType.Float64);
            Variables.Add(node);
        }
        return node;
    }

    private static IEnumerable<string> VariableNames(Syntax syntax) => syntax switch
    {
        VariableSyntax v => [v.Name],
        NegateSyntax n => VariableNames(n.Operand),
        BinarySyntax b => VariableNames(b.Left).Concat(VariableNames(b.Right)),
        CallSyntax c => VariableNames(c.Argument),
        _ => [],
    };
}
