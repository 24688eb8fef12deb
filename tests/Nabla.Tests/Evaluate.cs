namespace Nabla.Tests;

/// <summary>Runs a graph function once on fixed inputs.</summary>
internal static class Evaluate
{
    /// <summary>Builds f over placeholders of the inputs' shapes and dtypes and returns its value.</summary>
    public static Tensor Run(Func<Node[], Node> f, params Tensor[] inputs)
    {
        var g = new Graph();
        var xs = inputs.Select((t, i) => g.Placeholder($"x{i}", t.Shape, t.DType)).ToArray();
        using var s = new Session(g);
        var feeds = new Feeds();
        for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = inputs[i];
        return s.Run(f(xs), feeds);
    }
}
