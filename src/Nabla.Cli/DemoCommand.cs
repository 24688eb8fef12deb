using System.CommandLine;
using Nabla.Examples;
using Nabla.Visualization;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla demo [--out DIR]</c>: the reference example's values and gradients, each labelled, and its picture
/// (reference.dot and reference.svg) in DIR (default nabla-demo).
/// </summary>
internal sealed class DemoCommand : NablaCommand
{
    public const string DefaultOutputFolder = "nabla-demo";

    public override Command Create()
    {
        var folder = new Option<string>("--out") { Description = "folder for the picture", HelpName = "DIR", DefaultValueFactory = _ => DefaultOutputFolder };
        var command = new Command("demo", "The reference example g = a*b + c*d: every value and gradient, labelled, and its picture (DOT and SVG).") { folder };
        return Handle(command, (parse, io) => Run(parse.GetValue(folder)!, io.Output, io.Error));
    }

    private static int Run(string folder, TextWriter output, TextWriter error)
    {
        var ex = new ReferenceExample();
        using var session = new Session(ex.Graph);
        var feeds = ex.Feeds();
        var values = session.Run(ex.Values, feeds);
        var grads = session.Run(ex.Gradients, feeds);

        output.WriteLine("g = a*b + c*d   with e = a*b, f = c*d");
        output.WriteLine();
        output.WriteLine("forward values:");
        string[] names = ["a", "b", "c", "d", "e", "f", "g"];
        for (int i = 0; i < names.Length; i++) output.WriteLine($"  {names[i]} = {values[i].FormatValues()}");
        output.WriteLine();
        output.WriteLine("gradients of g (reverse mode, one backward sweep):");
        for (int i = 0; i < grads.Length; i++) output.WriteLine($"  dg/d{names[i]} = {grads[i].FormatValues()}");
        output.WriteLine();
        output.WriteLine($"[{string.Join(", ", values.Select(v => v.FormatValues()))}]");
        output.WriteLine($"[{string.Join(", ", grads.Select(v => v.FormatValues()))}]");

        // Notes about the picture go to the error stream, so standard output holds only the results.
        var renderer = new GraphRenderer(ex.Graph, new RenderOptions { Session = session, Feeds = feeds, Output = ex.G });
        string dot = Path.Combine(folder, "reference.dot");
        renderer.Save(dot);
        error.WriteLine($"nabla demo: wrote {dot}");
        string svg = Path.Combine(folder, "reference.svg");
        renderer.Save(svg);
        error.WriteLine($"nabla demo: wrote {svg}");
        return 0;
    }
}
