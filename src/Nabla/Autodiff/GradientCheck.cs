namespace Nabla;

/// <summary>Options of <see cref="GradientCheck.Compute(Node, Node[], Feeds, GradientCheckOptions?)"/>.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>How the theoretical Jacobian is built: one reverse sweep per element of y, or one forward sweep per element of each x.</summary>
    public JacobianMode Mode { get; init; } = JacobianMode.Reverse;

    /// <summary>The step h of the central differences (f(x + h) − f(x − h)) / 2h; default 1e-6 for float64 and 1e-3 for float32 inputs.</summary>
    public double? Step { get; init; }

    /// <summary>The session that runs the graph (its variables' values are used); default: a fresh session of y's graph.</summary>
    public Session? Session { get; init; }
}

/// <summary>
/// The theoretical and numeric Jacobians of y with respect to each x, as matrices [y.Size, x.Size] in float64
/// (row i: the derivatives of y's flat element i), and how far they disagree.
/// </summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(Tensor[] theoretical, Tensor[] numeric)
    {
        Theoretical = theoretical;
        Numeric = numeric;
        double abs = 0, rel = 0;
        for (int k = 0; k < theoretical.Length; k++)
        {
            var t = theoretical[k].ToArray<double>();
            var n = numeric[k].ToArray<double>();
            double scale = 1;
            foreach (var v in n) scale = Math.Max(scale, Math.Abs(v));
            for (int e = 0; e < t.Length; e++)
            {
                double err = Math.Abs(t[e] - n[e]);
                if (double.IsNaN(err) && !(double.IsInfinity(t[e]) && t[e] == n[e])) abs = rel = double.NaN;
                else if (!double.IsNaN(abs) && !double.IsNaN(err)) { abs = Math.Max(abs, err); rel = Math.Max(rel, err / scale); }
            }
        }
        MaxAbsError = abs;
        MaxRelError = rel;
    }

    /// <summary>Per x: the Jacobian from the graph's derivative rules (reverse or forward mode).</summary>
    public Tensor[] Theoretical { get; }

    /// <summary>Per x: the Jacobian from central finite differences of y.</summary>
    public Tensor[] Numeric { get; }

    /// <summary>max |theoretical − numeric| over every element of every Jacobian (NaN when either holds a NaN).</summary>
    public double MaxAbsError { get; }

    /// <summary>max |theoretical − numeric| / max(1, max |numeric|), the scale taken per Jacobian.</summary>
    public double MaxRelError { get; }
}

/// <summary>
/// Checks derivative rules against finite differences, as tf.test.compute_gradient and torch.autograd.gradcheck
/// do. It builds gradient (or tangent) nodes in y's graph and runs them with a <see cref="Session"/>: it sits
/// above both autodiff and execution, the one autodiff type that runs graphs.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Theoretical and numeric Jacobians of y with respect to each x at the values in <paramref name="feeds"/>.
    /// Every x must be fed (the numeric Jacobian perturbs copies of the fed values; the caller's tensors are not modified).
    /// </summary>
    public static GradientCheckResult Compute(Node y, Node[] xs, Feeds feeds, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(feeds);
        options ??= new GradientCheckOptions();
        foreach (var x in xs)
            if (!feeds.ContainsKey(x))
                throw new GradientException($"GradientCheck: x '{x.Name}' is not fed; feed a value for every x.");
        var own = options.Session is null ? new Session(y.Graph) : null;
        var session = options.Session ?? own!;
        try
        {
            var copy = new Feeds();
            foreach (var (node, value) in feeds) copy[node] = value.Clone();
            int m = session.Run(y, copy).Size;
            var theoretical = options.Mode == JacobianMode.Reverse ? ReverseJacobians(session, y, xs, copy, m) : ForwardJacobians(session, y, xs, copy, m);
            var numeric = xs.Select(x => NumericJacobian(session, y, x, copy, m, options.Step ?? (copy[x].DType == DType.Float64 ? 1e-6 : 1e-3))).ToArray();
            return new GradientCheckResult(theoretical, numeric);
        }
        finally
        {
            own?.Dispose();
        }
    }

    private static Tensor[] ReverseJacobians(Session session, Node y, Node[] xs, Feeds feeds, int m)
    {
        var g = y.Graph;
        var seed = g.Placeholder("gradient_check_seed", y.Shape, y.DType);
        var grads = g.Gradients(y, xs, new GradientOptions { GradY = seed, ZerosForUnconnected = true });
        var shape = session.Run(y, feeds).Shape;
        var jacobians = xs.Select(x => Tensor.Zeros(new Shape(m, feeds[x].Size), DType.Float64)).ToArray();
        for (int i = 0; i < m; i++)
        {
            var oneHot = Tensor.Zeros(shape, y.DType);
            oneHot.SetFlat(i, 1);
            feeds[seed] = oneHot;
            var rows = session.Run(grads, feeds);
            for (int k = 0; k < xs.Length; k++)
                for (int j = 0; j < rows[k].Size; j++) jacobians[k].SetFlat(i * rows[k].Size + j, rows[k].GetFlat(j));
        }
        feeds.Remove(seed);
        return jacobians;
    }

    private static Tensor[] ForwardJacobians(Session session, Node y, Node[] xs, Feeds feeds, int m)
    {
        var g = y.Graph;
        var tangents = xs.Select((x, k) => g.Placeholder($"gradient_check_tangent_{k}", x.Shape, x.DType)).ToArray();
        var jvp = g.Jvp(y, xs, tangents);
        var zeros = xs.Select(x => Tensor.Zeros(feeds[x].Shape, x.DType)).ToArray();
        for (int k = 0; k < xs.Length; k++) feeds[tangents[k]] = zeros[k];
        var jacobians = new Tensor[xs.Length];
        for (int k = 0; k < xs.Length; k++)
        {
            int n = feeds[xs[k]].Size;
            jacobians[k] = Tensor.Zeros(new Shape(m, n), DType.Float64);
            for (int j = 0; j < n; j++)
            {
                var oneHot = Tensor.Zeros(feeds[xs[k]].Shape, xs[k].DType);
                oneHot.SetFlat(j, 1);
                feeds[tangents[k]] = oneHot;
                var column = session.Run(jvp, feeds);
                for (int i = 0; i < m; i++) jacobians[k].SetFlat(i * n + j, column.GetFlat(i));
            }
            feeds[tangents[k]] = zeros[k];
        }
        foreach (var t in tangents) feeds.Remove(t);
        return jacobians;
    }

    private static Tensor NumericJacobian(Session session, Node y, Node x, Feeds feeds, int m, double h)
    {
        var original = feeds[x];
        var probe = original.Clone();
        feeds[x] = probe;
        int n = probe.Size;
        var jacobian = Tensor.Zeros(new Shape(m, n), DType.Float64);
        for (int j = 0; j < n; j++)
        {
            double v = original.GetFlat(j);
            probe.SetFlat(j, v + h);
            double up = probe.GetFlat(j);
            var plus = session.Run(y, feeds);
            probe.SetFlat(j, v - h);
            double down = probe.GetFlat(j);
            var minus = session.Run(y, feeds);
            probe.SetFlat(j, v);
            // The step actually taken (float32 rounds x ± h).
            double width = up - down;
            for (int i = 0; i < m; i++) jacobian.SetFlat(i * n + j, (plus.GetFlat(i) - minus.GetFlat(i)) / width);
        }
        feeds[x] = original;
        return jacobian;
    }
}
