using Spectre.Console;

namespace Nabla.Cli;

/// <summary>A Spectre console over the command's output: live and coloured on a terminal, plain text when redirected (CI, files, tests).</summary>
internal static class CliConsole
{
    /// <summary>Whether <paramref name="output"/> is the process's standard output and that is an interactive terminal.</summary>
    public static bool IsTerminal(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;

    public static (IAnsiConsole Console, bool Live) For(TextWriter output)
    {
        bool live = IsTerminal(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = live ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = live ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = live ? InteractionSupport.Yes : InteractionSupport.No,
        });
        // A terminal's width comes from the terminal; anything else (a log, a pipe) gets whole lines, never wrapped.
        console.Profile.Width = live ? Math.Max(40, Console.WindowWidth) : UnlimitedWidth;
        return (console, live);
    }

    /// <summary>Wide enough that no line of ours wraps, small enough that Spectre's width arithmetic cannot overflow.</summary>
    private const int UnlimitedWidth = 1 << 20;
}
