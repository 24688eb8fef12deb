namespace Nabla.Cli;

/// <summary>Command-line arguments that do not fit the verb; the message says which and shows the right form.</summary>
public sealed class CommandArgumentException(string message) : NablaException(message);
