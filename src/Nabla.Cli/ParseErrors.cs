using System.CommandLine;
using System.CommandLine.Parsing;

namespace Nabla.Cli;

/// <summary>Writes parse errors as <c>nabla: verb: message</c> lines, with "did you mean" for unknown options and commands, and points to --help.</summary>
internal static class ParseErrors
{
    public static int Report(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        string path = string.Join(' ', Ancestry(parse.CommandResult).Reverse());
        var unmatched = parse.UnmatchedTokens.ToHashSet();
        foreach (var e in parse.Errors)
        {
            if (unmatched.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))) continue;
            error.WriteLine($"nabla: {Prefix(path)}{e.Message}");
        }
        foreach (var token in parse.UnmatchedTokens)
        {
            bool isOption = token.StartsWith('-');
            var candidates = isOption
                ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive)).SelectMany(o => o.Aliases.Append(o.Name))
                : command.Subcommands.Select(c => c.Name);
            string what = isOption ? "unknown option" : command.Subcommands.Count > 0 ? "unknown command" : "unexpected argument";
            error.WriteLine($"nabla: {Prefix(path)}{what} '{token}'.{Suggestions.DidYouMean(token, candidates.Distinct())}");
        }
        error.WriteLine($"Run '{path} --help' for usage.");
        return 1;
    }

    private static string Prefix(string path) => path == "nabla" ? "" : path["nabla ".Length..] + ": ";

    private static IEnumerable<string> Ancestry(CommandResult result)
    {
        for (var r = result; r is not null; r = r.Parent as CommandResult)
            yield return r.Command.Name;
    }
}
