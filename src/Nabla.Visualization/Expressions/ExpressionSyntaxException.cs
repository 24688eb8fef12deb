namespace Nabla.Visualization;

/// <summary>
/// An arithmetic expression that does not parse. <see cref="Column"/> is 1-based; the message shows the
/// expression with a caret under that column and says what was expected there.
/// </summary>
public sealed class ExpressionSyntaxException : NablaException
{
    /// <summary>A syntax error in <paramref name="expression"/> at 1-based <paramref name="column"/>, where <paramref name="expected"/> was expected and <paramref name="found"/> was found.</summary>
    public ExpressionSyntaxException(string expression, int column, string expected, string found)
        : base($"Syntax error at column {column}: expected {expected} but found {found}.\n  {expression}\n  {new string(' ', column - 1)}^")
    {
        Column = column;
        Expected = expected;
    }

    /// <summary>1-based column of the offending character (one past the end for a premature end).</summary>
    public int Column { get; }

    /// <summary>What the parser expected at <see cref="Column"/>, e.g. "')'".</summary>
    public string Expected { get; }
}
