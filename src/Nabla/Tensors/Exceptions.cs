namespace Nabla;

/// <summary>Base of every error Nabla raises for a user mistake. The message says what, where and how to fix it.</summary>
public class NablaException : Exception
{
    /// <summary>An error with a message that says what went wrong, where, and how to fix it.</summary>
    public NablaException(string message) : base(message) { }
    /// <summary>An error with a message, caused by <paramref name="inner"/>.</summary>
    public NablaException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Operand shapes that do not fit the op; thrown when the node is built, or when the session runs for unknown dimensions.</summary>
public sealed class ShapeMismatchException(string message) : NablaException(message);

/// <summary>Operands of different element types combined without a <c>Cast</c>.</summary>
public sealed class DTypeMismatchException(string message) : NablaException(message);

/// <summary>An op applied to a dtype it does not compute, e.g. a floating-point-only op on integers.</summary>
public sealed class DTypeNotSupportedException(string message) : NablaException(message);

/// <summary>A placeholder that the fetched nodes need was not fed.</summary>
public sealed class MissingFeedException(string message) : NablaException(message);

/// <summary>A fed value whose shape or dtype does not fit the node it feeds.</summary>
public sealed class FeedException(string message) : NablaException(message);

/// <summary>A differentiation request that cannot be satisfied (no rule, wrong gradient shape, bad arguments).</summary>
public sealed class GradientException(string message) : NablaException(message);

/// <summary>A bad argument to a graph-building call (axis out of range, bad permutation, nodes of two graphs).</summary>
public sealed class InvalidGraphArgumentException(string message) : NablaException(message);

/// <summary>A tensor element the op cannot accept at run time, such as a class id or an index out of range.</summary>
public sealed class InvalidValueException : NablaException
{
    /// <summary>An error with the message shown to the user.</summary>
    public InvalidValueException(string message) : base(message) { }

    /// <summary>An error restating <paramref name="inner"/> (e.g. with the node that raised it).</summary>
    public InvalidValueException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An op type name with no registered op, met when a graph is loaded from a file.</summary>
public sealed class UnknownOpException(string message) : NablaException(message);
