namespace Nabla.Visualization;

/// <summary>Which engine places the boxes and edges of SVG and PNG pictures.</summary>
public enum PictureLayout
{
    /// <summary>The built-in managed layered layout (MSAGL): works everywhere, no program to install.</summary>
    Managed,

    /// <summary>Graphviz's <c>dot</c> program, which must be on PATH (or given by <see cref="RenderOptions.DotExecutable"/>).</summary>
    Graphviz,
}
