using Spectre.Console;

namespace Nabla.Cli;

/// <summary>A Spectre console over the command's output: live and coloured on a terminal, plain text when redirected (CI, files, tests).</summary>
internal static class CliConsole
{
    public static (IAnsiConsole Console, bool Live) For(TextWriter output)
    {
        bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = live ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = live ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = live ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!live) console.Profile.Width = 100;
        return (console, live);
    }
}
