using System.Globalization;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// The arguments of <c>nabla grad</c> and <c>nabla explain</c>: an expression, <c>name=value</c> pairs and
/// picture options <c>--dot F --svg F --png F --html F</c>.
/// </summary>
internal sealed class ExpressionArguments
{
    private static readonly string[] PictureOptions = ["--dot", "--svg", "--png", "--html"];

    public required Expression Expression { get; init; }
    public required Feeds Feeds { get; init; }

    /// <summary>Pictures to write, in the order given: (path) with the format taken from the option.</summary>
    public required List<(string Format, string Path)> Pictures { get; init; }

    public static ExpressionArguments Parse(string verb, string[] args, bool allowPictures)
    {
        string usage = allowPictures
            ? $"usage: nabla {verb} \"<expression>\" name=value ... [--dot F] [--svg F] [--png F] [--html F]"
            : $"usage: nabla {verb} \"<expression>\" name=value ...";
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new CommandArgumentException($"{verb}: give an expression first, e.g. nabla {verb} \"a*b + c*d\" a=3 b=2 c=4 d=5\n{usage}");
        var expression = Expression.Parse(args[0]);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var pictures = new List<(string, string)>();
        for (int i = 1; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!allowPictures || !PictureOptions.Contains(arg))
                    throw new CommandArgumentException($"{verb}: unknown option '{arg}'.\n{usage}");
                if (i + 1 >= args.Length)
                    throw new CommandArgumentException($"{verb}: option {arg} needs a file name, e.g. {arg} graph.{arg[2..]}\n{usage}");
                pictures.Add((arg[2..], args[++i]));
                continue;
            }
            int eq = arg.IndexOf('=');
            if (eq <= 0 || !double.TryParse(arg[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new CommandArgumentException($"{verb}: '{arg}' is not name=value with a number, e.g. a=3 or x=-0.5.\n{usage}");
            string name = arg[..eq];
            if (!values.TryAdd(name, value))
                throw new CommandArgumentException($"{verb}: variable '{name}' is given twice.");
        }
        return new ExpressionArguments { Expression = expression, Feeds = expression.Feeds(values), Pictures = pictures };
    }
}
