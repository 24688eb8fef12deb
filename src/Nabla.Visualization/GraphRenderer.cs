using System.Text;

namespace Nabla.Visualization;

/// <summary>
/// Draws a graph, or the part some fetches need, with each node's forward value (green), the gradient of a
/// chosen output with respect to it (red), and each edge's local partial derivative. The values are computed
/// once, when the renderer is made (it adds gradient nodes under "gradients/" to the graph).
/// <code>
/// var r = new GraphRenderer(graph, new RenderOptions { Session = s, Feeds = feeds, Output = loss });
/// File.WriteAllText("graph.dot", r.ToDot()); r.Save("graph.svg"); r.Save("graph.png"); r.Save("graph.html");
/// </code>
/// SVG and PNG are laid out in managed code unless <see cref="RenderOptions.Layout"/> asks for Graphviz.
/// </summary>
public sealed class GraphRenderer
{
    private readonly Annotations _annotations;

    /// <summary>A renderer of <paramref name="graph"/>, annotated as <paramref name="options"/> say (default: the forward graph without values).</summary>
    public GraphRenderer(Graph graph, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new RenderOptions();
        if (options.Output is { } o && o.Graph != graph)
            throw new InvalidGraphArgumentException($"GraphRenderer: output '{o.Name}' belongs to another graph.");
        if (options.Session is { } s && s.Graph != graph)
            throw new InvalidGraphArgumentException("GraphRenderer: the session runs another graph; pass a session made for this graph.");
        if (options.MaxValues < 1)
            throw new InvalidGraphArgumentException($"GraphRenderer: MaxValues is {options.MaxValues}; labels need at least 1 value per tensor.");
        _annotations = new Annotations(graph, options);
    }

    /// <summary>How pictures, <see cref="Explainer"/> and <c>nabla grad</c> write numbers: six significant digits (a .NET format string).</summary>
    public const string NumberFormat = "G6";

    /// <summary>True when Graphviz's dot program is on PATH, so <see cref="PictureLayout.Graphviz"/> can be used.</summary>
    public static bool IsGraphvizAvailable => Graphviz.FindDot() is not null;

    /// <summary>The Graphviz DOT text.</summary>
    public string ToDot() => DotWriter.Write(_annotations);

    /// <summary>
    /// The SVG picture. With <see cref="PictureLayout.Graphviz"/> it is drawn by dot, and <see cref="GraphvizException"/>
    /// (saying how to install it) is thrown when dot is missing.
    /// </summary>
    public string ToSvg() => UsesGraphviz
        ? Encoding.UTF8.GetString(Graphviz.Render(ToDot(), "svg", _annotations.Options.DotExecutable))
        : SvgWriter.Write(_annotations, interactive: false);

    /// <summary>The PNG picture: the SVG drawn by SkiaSharp at twice its size, or by dot with <see cref="PictureLayout.Graphviz"/>.</summary>
    public byte[] ToPng() => UsesGraphviz
        ? Graphviz.Render(ToDot(), "png", _annotations.Options.DotExecutable)
        : SvgRasterizer.ToPng(ToSvg());

    private bool UsesGraphviz => _annotations.Options.Layout == PictureLayout.Graphviz;

    /// <summary>
    /// One self-contained HTML page (no network needed) with the graph drawn and Next/Back buttons (and arrow
    /// keys) stepping through the forward pass node by node, then the reverse pass with each chain-rule product.
    /// </summary>
    public string ToHtml() => HtmlWriter.Write(_annotations);

    /// <summary>
    /// Writes the picture in the format named by the extension: .dot, .svg, .png or .html. When Graphviz layout is
    /// asked for but dot is missing, the DOT text is written beside it (same name, .dot) before <see cref="GraphvizException"/> is thrown.
    /// </summary>
    public void Save(string path) => Save(path, Path.GetExtension(path).TrimStart('.'));

    /// <summary>Writes the picture in <paramref name="format"/> (dot, svg, png or html) whatever the file's extension.</summary>
    public void Save(string path, string format)
    {
        ArgumentNullException.ThrowIfNull(path);
        switch (format.ToLowerInvariant())
        {
            case "dot" or "gv": FileOutput.Write(path, ToDot()); break;
            case "html" or "htm": FileOutput.Write(path, ToHtml()); break;
            case "svg" when !UsesGraphviz: FileOutput.Write(path, ToSvg()); break;
            case "png" when !UsesGraphviz: FileOutput.Write(path, ToPng()); break;
            case "svg" or "png":
                string dot = ToDot();
                byte[] image;
                try { image = Graphviz.Render(dot, format.ToLowerInvariant(), _annotations.Options.DotExecutable); }
                catch (GraphvizException e)
                {
                    string dotPath = Path.ChangeExtension(path, ".dot");
                    if (dotPath == path) dotPath = path + ".dot";
                    FileOutput.Write(dotPath, dot);
                    throw new GraphvizException($"{e.Message} The DOT text was written to '{dotPath}'.");
                }
                FileOutput.Write(path, image);
                break;
            default:
                throw new InvalidGraphArgumentException($"Cannot save a graph picture as '{path}' in format '{format}': use dot, svg, png or html (the file extension .dot, .svg, .png or .html).");
        }
    }
}
