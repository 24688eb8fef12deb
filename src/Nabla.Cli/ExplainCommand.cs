using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla explain "&lt;expr&gt;" a=3 ...</c>: the chain rule for each variable along every path, with numbers,
/// and the cost of reverse against forward mode on this graph.
/// </summary>
internal static class ExplainCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        var parsed = ExpressionArguments.Parse("explain", args, allowPictures: false);
        output.Write(Explainer.Explain(parsed.Expression, parsed.Feeds));
        return 0;
    }
}
