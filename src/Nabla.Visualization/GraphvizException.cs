namespace Nabla.Visualization;

/// <summary>Graphviz's <c>dot</c> program is missing or failed; the message says how to install it or what dot reported.</summary>
public sealed class GraphvizException(string message) : NablaException(message)
{
    /// <summary>The install hint every "not found" message ends with.</summary>
    public const string InstallHint =
        "Install Graphviz: apt-get install graphviz (Debian/Ubuntu), dnf install graphviz (Fedora), brew install graphviz (macOS), " +
        "or see graphviz.org/download; or pass the path of dot in RenderOptions.DotExecutable.";
}
