using System.CommandLine;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla explain "&lt;expr&gt;" a=3 ...</c>: the chain rule for each variable along every path, with numbers,
/// and the cost of reverse against forward mode on this graph.
/// </summary>
internal sealed class ExplainCommand : NablaCommand
{
    public override Command Create()
    {
        var arguments = new ExpressionArguments();
        var command = new Command("explain", "The chain rule along every path, with the numbers, and the cost of reverse against forward mode counted from the plans that run.")
        {
            arguments.Expression, arguments.Values,
        };
        return Handle(command, (parse, io) =>
        {
            var (expression, feeds) = arguments.Read(parse, "explain");
            io.Output.Write(Explainer.Explain(expression, feeds));
            return 0;
        });
    }
}
