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
        NegateSyntax neg => Apply(new NegOp(), [Visit(neg.Operand)], syntax, i => $"-{i[0]}"),
        BinarySyntax b => Binary(b),
        CallSyntax c => Apply(Function(c.Function), [Visit(c.Argument)], syntax, i => $"{c.Function}({i[0]})"),
        _ => throw new InvalidOperationException($"Unknown syntax {syntax.GetType().Name}."),
    };

    private Node Binary(BinarySyntax b)
    {
        Node left = Visit(b.Left), right = Visit(b.Right);
        Op op = b.Operator switch
        {
            '+' => new AddOp(),
            '-' => new SubOp(),
            '*' => new MulOp(),
            '/' => new DivOp(),
            _ => new PowOp(),
        };
        return Apply(op, [left, right], b, i => $"{i[0]} {b.Operator} {i[1]}");
    }

    private static Op Function(string name) => name switch
    {
        "exp" => new ExpOp(),
        "log" => new LogOp(),
        "sin" => new SinOp(),
        "cos" => new CosOp(),
        "tanh" => new TanhOp(),
        "sigmoid" => new SigmoidOp(),
        "relu" => new ReluOp(),
        "sqrt" => new SqrtOp(),
        _ => new AbsOp(),
    };

    private Node Apply(Op op, Node[] inputs, Syntax syntax, Func<string[], string> definition)
    {
        string name = syntax == _root ? _names.Output ?? _names.NextFree() : _names.NextFree();
        var node = Graph.Apply(op, inputs, name);
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
