using System.Globalization;

namespace Nabla.Visualization;

/// <summary>
/// Recursive-descent parser for arithmetic expressions:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := atom ('^' unary)?          right-associative; binds tighter than unary minus: -x^2 = -(x^2)
/// atom    := number | variable | function '(' sum ')' | '(' sum ')'
/// </code>
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>The functions an expression may call, each with one argument.</summary>
    public static readonly IReadOnlyList<string> Functions = ["exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt", "abs"];

    /// <summary>Deepest nesting of parentheses, calls and signs accepted, so a pathological input cannot exhaust the stack.</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// Most binary operators accepted. A chain a+a+…+a parses into a tree as deep as it is long, and the
    /// graph builder walks that tree recursively, so chains are bounded like nesting.
    /// </summary>
    public const int MaxOperators = 1000;

    private readonly string _text;
    private int _pos, _depth, _operators;

    private ExpressionParser(string text) => _text = text;

    /// <summary>Parses the whole of <paramref name="text"/>; throws <see cref="ExpressionSyntaxException"/> at the first error.</summary>
    public static Syntax Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ExpressionParser(text);
        var result = parser.Sum();
        parser.SkipSpace();
        if (parser._pos < text.Length)
            throw parser.Error("an operator (+ - * / ^) or the end of the expression");
        return result;
    }

    private Syntax Sum()
    {
        var left = Product();
        while (Peek() is '+' or '-')
        {
            int column = Column;
            CountOperator();
            char op = _text[_pos++];
            left = new BinarySyntax(column, op, left, Product());
        }
        return left;
    }

    private Syntax Product()
    {
        var left = Unary();
        while (Peek() is '*' or '/')
        {
            int column = Column;
            CountOperator();
            char op = _text[_pos++];
            left = new BinarySyntax(column, op, left, Unary());
        }
        return left;
    }

    private void CountOperator()
    {
        if (++_operators > MaxOperators)
            throw new ExpressionSyntaxException(_text, Column, $"at most {MaxOperators} operators", "a longer expression; build larger graphs with the Graph API");
    }

    private Syntax Unary()
    {
        if (++_depth > MaxDepth)
            throw new ExpressionSyntaxException(_text, Column, $"at most {MaxDepth} nested parentheses, calls and signs", "deeper nesting");
        try
        {
            char c = Peek();
            if (c is '-' or '+')
            {
                int column = Column;
                _pos++;
                var operand = Unary();
                return c == '-' ? new NegateSyntax(column, operand) : operand;
            }
            return Power();
        }
        finally
        {
            _depth--;
        }
    }

    private Syntax Power()
    {
        var baseSyntax = Atom();
        if (Peek() != '^') return baseSyntax;
        int column = Column;
        _pos++;
        return new BinarySyntax(column, '^', baseSyntax, Unary());
    }

    private Syntax Atom()
    {
        char c = Peek();
        int column = Column;
        if (c == '(')
        {
            _pos++;
            var inner = Sum();
            Expect(')');
            return inner;
        }
        if (char.IsAsciiDigit(c) || c == '.') return Number(column);
        if (char.IsAsciiLetter(c) || c == '_')
        {
            int start = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
            string name = _text[start.._pos];
            if (!Functions.Contains(name))
            {
                if (Peek() == '(')
                    throw new ExpressionSyntaxException(_text, column, $"a variable or one of the functions {string.Join(", ", Functions)}", $"'{name}('");
                return new VariableSyntax(column, name);
            }
            Expect('(');
            var argument = Sum();
            Expect(')');
            return new CallSyntax(column, name, argument);
        }
        throw Error("a number, a variable, a function call or '('");
    }

    private NumberSyntax Number(int column)
    {
        int start = _pos;
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        if (_pos < _text.Length && _text[_pos] == '.')
        {
            _pos++;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
        }
        // An exponent only when digits follow, so "2e" stays an error rather than eating a variable e.
        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            int save = _pos++;
            if (_pos < _text.Length && _text[_pos] is '+' or '-') _pos++;
            if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            else _pos = save;
        }
        string text = _text[start.._pos];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new ExpressionSyntaxException(_text, column, "a number such as 2, 0.5 or 1e-3", $"'{text}'");
        return new NumberSyntax(column, value, text);
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw Error($"'{c}'");
        _pos++;
    }

    private ExpressionSyntaxException Error(string expected)
    {
        SkipSpace();
        string found = _pos < _text.Length ? $"'{_text[_pos]}'" : "the end of the expression";
        return new ExpressionSyntaxException(_text, Column, expected, found);
    }

    /// <summary>The next non-space character, or '\0' at the end.</summary>
    private char Peek()
    {
        SkipSpace();
        return _pos < _text.Length ? _text[_pos] : '\0';
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private int Column => _pos + 1;
}
