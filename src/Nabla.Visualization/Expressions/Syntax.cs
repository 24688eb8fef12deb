namespace Nabla.Visualization;

/// <summary>A parsed arithmetic expression tree; <c>Column</c> is the 1-based column where each part starts.</summary>
internal abstract record Syntax(int Column);

internal sealed record NumberSyntax(int Column, double Value, string Text) : Syntax(Column);

internal sealed record VariableSyntax(int Column, string Name) : Syntax(Column);

/// <summary>Unary minus.</summary>
internal sealed record NegateSyntax(int Column, Syntax Operand) : Syntax(Column);

/// <summary>One of + - * / ^.</summary>
internal sealed record BinarySyntax(int Column, char Operator, Syntax Left, Syntax Right) : Syntax(Column);

/// <summary>One of the functions <see cref="ExpressionParser.Functions"/> applied to one argument.</summary>
internal sealed record CallSyntax(int Column, string Function, Syntax Argument) : Syntax(Column);
