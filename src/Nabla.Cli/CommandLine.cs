using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Nabla.Cli;

/// <summary>
/// The <c>nabla</c> command: parses with System.CommandLine into the verbs found as <see cref="NablaCommand"/>
/// subclasses, reports bad arguments as <c>nabla: ...</c> with a suggestion (exit code 1), and turns a
/// <see cref="NablaException"/> or a file error from a verb into its message (exit code 1).
/// </summary>
public static class CommandLine
{
    /// <summary>Runs <c>nabla</c> with <paramref name="args"/>, writing results to <paramref name="output"/> and notes and errors to <paramref name="error"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRoot(output);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction) return ParseErrors.Report(parse, error);
        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // commands handle Ctrl-C themselves (train saves, then exits with 130)
            });
        }
        catch (NablaException e)
        {
            error.WriteLine($"nabla: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"nabla: {e.Message}"); // a file that cannot be read or written: the message names it
            return 1;
        }
    }

    /// <summary>The version printed by <c>nabla --version</c>: the informational version of this assembly.</summary>
    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static Command CreateRoot(TextWriter output)
    {
        var help = new HelpOption();
        // Help is wrapped to the terminal's width, never when written to a file, a pipe or a test's writer.
        ((HelpAction)help.Action!).MaxWidth = CliConsole.IsTerminal(output) ? Math.Max(40, Console.WindowWidth) : int.MaxValue;
        var version = new Option<bool>("--version") { Description = "Show the version of nabla.", Arity = ArgumentArity.Zero, Action = new PrintVersion() };
        var root = new Command("nabla", "Graphs, gradients and training in managed .NET: values and derivatives of expressions, explained and drawn, and MNIST classifiers.")
        {
            help, version,
        };
        foreach (var command in Commands().OrderBy(c => c.Name, StringComparer.Ordinal)) root.Add(command);
        root.SetAction(parse =>
        {
            ((HelpAction)help.Action!).Invoke(parse); // "nabla" alone shows the commands
            return 1;
        });
        return root;
    }

    private static IEnumerable<Command> Commands() =>
        typeof(NablaCommand).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(NablaCommand)) && !t.IsAbstract)
            .Select(t => ((NablaCommand)Activator.CreateInstance(t)!).Create());

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
