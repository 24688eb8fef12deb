using System.CommandLine;

namespace Nabla.Cli;

/// <summary>
/// One verb of <c>nabla</c>. Adding a command is one file: a sealed subclass whose <see cref="Create"/> declares the
/// verb's arguments and options (with descriptions, defaults and ranges, which <c>--help</c> shows) and sets its
/// handler with <see cref="Handle"/>. <see cref="CommandLine"/> finds every subclass in this assembly; nothing
/// else needs editing. Reusable options are in <see cref="CliOptions"/>; a long-running command stops cleanly on
/// Ctrl-C with <see cref="CtrlC"/>; output meant for people goes through <see cref="CliConsole"/>, which never wraps
/// lines that are not shown on a terminal.
/// </summary>
internal abstract class NablaCommand
{
    /// <summary>A fresh command tree for one parse (options hold no state, but a fresh tree keeps parallel callers apart).</summary>
    public abstract Command Create();

    /// <summary>Sets <paramref name="command"/>'s handler; it gets the parse result and the streams to write to, and returns the exit code.</summary>
    protected static Command Handle(Command command, Func<ParseResult, CliStreams, int> handler)
    {
        command.SetAction(parse => handler(parse, new CliStreams(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));
        return command;
    }
}

/// <summary>Where a command writes: results to <paramref name="Output"/>, notes and errors to <paramref name="Error"/>.</summary>
internal sealed record CliStreams(TextWriter Output, TextWriter Error);
