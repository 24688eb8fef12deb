using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using Nabla.NN;
using Nabla.Visualization;

namespace Nabla.Interactive;

/// <summary>
/// How Nabla's objects display in Polyglot and Jupyter notebooks (.NET Interactive): a <see cref="Tensor"/> as a
/// table with its shape and dtype, a <see cref="Sequential"/> model as its summary, a <see cref="GraphRenderer"/>
/// (a graph with a session, feeds and an output) as its picture with values in green and gradients in red, and a
/// bare <see cref="Graph"/> as its picture without values. Call <see cref="Register"/> once, in the first cell.
/// </summary>
public static class NablaFormatters
{
    /// <summary>The largest number of rows and of columns a tensor's table shows before eliding the middle.</summary>
    public const int MaxTableSide = 12;

    /// <summary>Registers the HTML and plain-text formatters of Nabla's types; calling it again changes nothing.</summary>
    public static void Register()
    {
        Formatter.Register<Tensor>(t => TensorTable.Html(t, MaxTableSide), HtmlFormatter.MimeType);
        Formatter.Register<Tensor>(t => t.ToString(), PlainTextFormatter.MimeType);
        Formatter.Register<Sequential>(m => $"<pre>{WebUtility.HtmlEncode(m.Summary())}</pre>", HtmlFormatter.MimeType);
        Formatter.Register<Sequential>(m => m.Summary(), PlainTextFormatter.MimeType);
        Formatter.Register<GraphRenderer>(r => Picture(r.ToSvg()), HtmlFormatter.MimeType);
        Formatter.Register<Graph>(g => Picture(new GraphRenderer(g).ToSvg()), HtmlFormatter.MimeType);
        Formatter.Register<Graph>(g => g.ToString(), PlainTextFormatter.MimeType);
    }

    /// <summary>An SVG picture in a box that scrolls when the graph is wider than the notebook.</summary>
    private static string Picture(string svg) => $"<div style=\"overflow-x: auto\">{svg}</div>";
}
