using Nabla.Examples;

namespace Nabla.Cli;

/// <summary><c>nabla demo</c>: the reference example's values and gradients, each labelled.</summary>
internal static class DemoCommand
{
    public static int Run(TextWriter output)
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
        for (int i = 0; i < names.Length; i++) output.WriteLine($"  {names[i]} = {values[i]}");
        output.WriteLine();
        output.WriteLine("gradients of g (reverse mode, one backward sweep):");
        for (int i = 0; i < grads.Length; i++) output.WriteLine($"  dg/d{names[i]} = {grads[i]}");
        output.WriteLine();
        output.WriteLine($"[{string.Join(", ", values.Select(v => v.ToString()))}]");
        output.WriteLine($"[{string.Join(", ", grads.Select(v => v.ToString()))}]");
        return 0;
    }
}
