namespace Nabla.Tests;

/// <summary>
/// Checks reverse mode, forward mode and second derivatives of a graph function against central finite
/// differences in float64. The scalar probed is L = Σ f(xs)·w for a fixed random w.
/// </summary>
internal static class FiniteDifferences
{
    public const double Step = 1e-6;

    /// <summary>Asserts that Gradients(L, xs[i]) matches (L(x + h) − L(x − h)) / 2h element by element, for each i in <paramref name="wrt"/>.</summary>
    public static void CheckGradients(Func<Node[], Node> f, Tensor[] inputs, int[] wrt, double tolerance = 1e-6)
    {
        var (g, xs, loss) = Build(f, inputs);
        var grads = g.Gradients(loss, wrt.Select(i => xs[i]).ToArray(), new GradientOptions { ZerosForUnconnected = true });
        using var s = new Session(g);
        var analytic = s.Run(grads, Feed(xs, inputs));
        for (int w = 0; w < wrt.Length; w++)
        {
            int i = wrt[w];
            var numeric = Numeric(s, loss, xs, inputs, i);
            var a = analytic[w].ToArray<double>();
            for (int e = 0; e < a.Length; e++)
                Assert.True(Math.Abs(a[e] - numeric[e]) <= tolerance * (1 + Math.Abs(numeric[e])),
                    $"d/d input {i} element {e}: analytic {a[e]} vs numeric {numeric[e]}");
        }
    }

    /// <summary>Asserts ⟨w, J v⟩ (forward mode) equals ⟨Jᵀ w, v⟩ (reverse mode) for random tangents v.</summary>
    public static void CheckJvp(Func<Node[], Node> f, Tensor[] inputs, int[] wrt, double tolerance = 1e-9)
    {
        var (g, xs, loss) = Build(f, inputs);
        var y = loss.Inputs[0].Inputs[0];
        var w = loss.Inputs[0].Inputs[1];
        var vs = wrt.Select((i, k) => g.Constant(Tensor.RandomNormal(inputs[i].Shape, 100 + k, dtype: DType.Float64))).ToArray();
        var forward = (g.Jvp(y, wrt.Select(i => xs[i]).ToArray(), vs) * w).Sum();
        var grads = g.Gradients(loss, wrt.Select(i => xs[i]).ToArray(), new GradientOptions { ZerosForUnconnected = true });
        Node reverse = (grads[0]! * vs[0]).Sum();
        for (int k = 1; k < wrt.Length; k++) reverse += (grads[k]! * vs[k]).Sum();
        using var s = new Session(g);
        var r = s.Run([forward, reverse], Feed(xs, inputs));
        double a = r[0].Scalar<double>(), b = r[1].Scalar<double>();
        Assert.True(Math.Abs(a - b) <= tolerance * (1 + Math.Abs(b)), $"JVP {a} vs VJP {b}");
    }

    /// <summary>Checks the gradient of (the gradient of L with respect to xs[first]) with respect to xs[second].</summary>
    public static void CheckSecondOrder(Func<Node[], Node> f, Tensor[] inputs, int first, int[] second, double tolerance = 1e-5) =>
        CheckGradients(xs =>
        {
            var (g, loss) = Loss(f, xs, 7);
            return g.Gradients(loss, [xs[first]], new GradientOptions { ZerosForUnconnected = true })[0]!;
        }, inputs, second, tolerance);

    /// <summary>Runs f on the inputs (float64) and returns its value.</summary>
    public static Tensor Evaluate(Func<Node[], Node> f, params Tensor[] inputs)
    {
        var g = new Graph();
        var xs = inputs.Select((t, i) => g.Placeholder($"x{i}", t.Shape, t.DType)).ToArray();
        using var s = new Session(g);
        return s.Run(f(xs), Feed(xs, inputs));
    }

    private static (Graph, Node[], Node) Build(Func<Node[], Node> f, Tensor[] inputs)
    {
        var g = new Graph();
        var xs = inputs.Select((t, i) => g.Placeholder($"x{i}", t.Shape, DType.Float64)).ToArray();
        var (_, loss) = Loss(f, xs, 3);
        return (g, xs, loss);
    }

    private static (Graph, Node) Loss(Func<Node[], Node> f, Node[] xs, int seed)
    {
        var g = xs[0].Graph;
        var y = f(xs);
        var w = g.Constant(Tensor.RandomNormal(y.Shape, seed, dtype: DType.Float64), "w");
        return (g, (y * w).Sum());
    }

    private static double[] Numeric(Session s, Node loss, Node[] xs, Tensor[] inputs, int i)
    {
        var values = inputs.Select(t => t.Clone()).ToArray();
        var x = values[i];
        var result = new double[x.Size];
        for (int e = 0; e < x.Size; e++)
        {
            double orig = x.GetFlat(e);
            x.SetFlat(e, orig + Step);
            double plus = s.Run(loss, Feed(xs, values)).Scalar<double>();
            x.SetFlat(e, orig - Step);
            double minus = s.Run(loss, Feed(xs, values)).Scalar<double>();
            x.SetFlat(e, orig);
            result[e] = (plus - minus) / (2 * Step);
        }
        return result;
    }

    private static Feeds Feed(Node[] xs, Tensor[] values)
    {
        var feeds = new Feeds();
        for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = values[i];
        return feeds;
    }
}
