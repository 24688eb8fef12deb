using System.CommandLine;
using System.Globalization;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// The arguments of <c>nabla grad</c> and <c>nabla explain</c>: an expression and <c>name=value</c> pairs giving
/// each variable's value.
/// </summary>
internal sealed class ExpressionArguments
{
    public Argument<string> Expression { get; } = new("expression")
    {
        Description = "an expression in the variables, e.g. \"a*b + c*d\" or \"x*x + sin(x)\"",
    };

    public Argument<string[]> Values { get; } = new("values")
    {
        Description = "the value of every variable as name=value, e.g. a=3 x=-0.5",
        HelpName = "name=value",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>The parsed expression and the feeds of its variables; a bad pair or an unknown option is a <see cref="CommandArgumentException"/>.</summary>
    public (Expression Expression, Feeds Feeds) Read(ParseResult parse, string verb)
    {
        var expression = Nabla.Visualization.Expression.Parse(parse.GetValue(Expression)!);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string arg in parse.GetValue(Values) ?? [])
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var options = parse.CommandResult.Command.Options.Select(o => o.Name);
                throw new CommandArgumentException($"{verb}: unknown option '{arg}'.{Suggestions.DidYouMean(arg, options)} Run 'nabla {verb} --help' for usage.");
            }
            int eq = arg.IndexOf('=');
            if (eq <= 0 || !double.TryParse(arg[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new CommandArgumentException($"{verb}: '{arg}' is not name=value with a number, e.g. a=3 or x=-0.5.");
            string name = arg[..eq];
            if (!values.TryAdd(name, value))
                throw new CommandArgumentException($"{verb}: variable '{name}' is given twice.");
        }
        return (expression, expression.Feeds(values));
    }
}
