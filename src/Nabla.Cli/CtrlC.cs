namespace Nabla.Cli;

/// <summary>
/// Turns the first Ctrl-C into a cancellation that a long command checks between steps, so it can stop cleanly,
/// save what it has and exit with <see cref="ExitCode"/>; a second Ctrl-C ends the process at once.
/// Use as <c>using var ctrlC = new CtrlC();</c>, pass <see cref="Token"/> down and return <see cref="ExitCode"/> when <see cref="Pressed"/>.
/// </summary>
internal sealed class CtrlC : IDisposable
{
    /// <summary>The exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _stop = new();
    private readonly ConsoleCancelEventHandler _onCancel;

    public CtrlC()
    {
        _onCancel = (_, e) =>
        {
            if (_stop.IsCancellationRequested) return; // the second Ctrl-C: let the process end
            e.Cancel = true;
            _stop.Cancel();
        };
        Console.CancelKeyPress += _onCancel;
    }

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Whether Ctrl-C has been pressed.</summary>
    public bool Pressed => _stop.IsCancellationRequested;

    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancel;
        _stop.Dispose();
    }
}
