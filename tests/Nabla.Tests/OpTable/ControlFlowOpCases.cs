using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>Op table rows for control flow (Cond, Scan, WhileLoop) and the ops that carry their several results.</summary>
internal static class ControlFlowOpCases
{
    private static Input In(Sampler s, params int[] dims) => new(new Shape(dims), s);

    /// <summary>A 0/1 input that picks the branch; not differentiated.</summary>
    private static readonly Input Switch = new(Shape.Scalar, S.Mask, Differentiable: false);

    public static IEnumerable<OpCase> All()
    {
        yield return new("Cond", typeof(CondOp), [Switch, In(S.Normal, 2, 3)],
            c => c.Graph.Cond(c.X[0].Greater(0.5), () => c.X[1] * c.X[1], () => c.X[1].Sin()),
            x => x[0].GetFlat(0) > 0.5 ? Map(x[1], v => v * v) : Map(x[1], Math.Sin));
        // The second result sits after the first in the packed output: its offset is what this row checks.
        yield return new("Cond two results", typeof(CallResultOp), [Switch, In(S.Normal, 3), In(S.Normal, 2)],
            c => c.Graph.Cond(c.X[0].Greater(0.5),
                () => [c.X[1].Exp(), c.X[2] * c.X[1].Sum()],
                () => [c.X[1] * c.X[1], c.X[2].Sin() * 3.0])[1],
            x => x[0].GetFlat(0) > 0.5
                ? Map(x[2], v => v * x[1].ToArray<double>().Sum())
                : Map(x[2], v => 3 * Math.Sin(v)));
        // A recurrence over 4 steps: c' = c·sin(x) + x·k (k captured), y = c'², stacked; the row checks the stacked outputs.
        yield return new("Scan recurrence", typeof(CallResultOp), [In(S.Normal, 2), In(S.Normal, 4, 2), In(S.Normal, 2)],
            c => c.Graph.Scan((carry, x) =>
            {
                var next = carry[0] * x[0].Sin() + x[0] * c.X[2];
                return new ScanStep([next], [next * next]);
            }, [c.X[0]], [c.X[1]]).Outputs[0],
            x => ScanReference(x[0].ToArray<double>(), x[1].ToArray<double>(), x[2].ToArray<double>(), reverse: false));
        yield return new("Scan recurrence reverse", typeof(CallResultOp), [In(S.Normal, 2), In(S.Normal, 3, 2), In(S.Normal, 2)],
            c => c.Graph.Scan((carry, x) =>
            {
                var next = carry[0] * x[0].Sin() + x[0] * c.X[2];
                return new ScanStep([next], [next * next]);
            }, [c.X[0]], [c.X[1]], reverse: true).Outputs[0],
            x => ScanReference(x[0].ToArray<double>(), x[1].ToArray<double>(), x[2].ToArray<double>(), reverse: true));
        // Without a carry the Scan node itself is the stacked output (a map over the leading axis).
        yield return new("Scan map", typeof(ScanOp), [In(S.Normal, 3, 2), In(S.Normal, 2)],
            c => c.Graph.Scan((_, x) => new ScanStep([], [x[0].Sin() * c.X[1]]), [], [c.X[0]]).Outputs[0],
            x => Zip(x[0], BroadcastTo(x[1], x[0].Shape), (a, k) => Math.Sin(a) * k));
        // Stopped by maximumIterations after 3 steps; reverse mode reruns it storing each step.
        yield return new("WhileLoop", typeof(WhileLoopOp), [In(S.Normal, 2), In(S.Normal, 2)],
            c => c.Graph.WhileLoop(v => v[0].Sum().Less(1e30), v => [v[0] * c.X[1].Sin() + v[0] * v[0] * 0.1], [c.X[0]], maximumIterations: 3)[0],
            x => Zip(x[0], x[1], (v, k) =>
            {
                for (int i = 0; i < 3; i++) v = v * Math.Sin(k) + v * v * 0.1;
                return v;
            }));
        // The loop runs until a counter reaches the fed bound: the trip count comes from the data.
        yield return new("WhileLoop counted", typeof(CallResultOp), [new Input(Shape.Scalar, (r, n) => [2 + r.Next(3)], Differentiable: false), In(S.Normal, 2)],
            c => c.Graph.WhileLoop(v => v[0].Less(c.X[0]), v => [v[0] + 1.0, v[1].Sin() * 1.5], [c.Graph.Scalar(0, c.DType), c.X[1]], maximumIterations: 6)[1],
            x => Map(x[1], v =>
            {
                for (int i = 0; i < (int)x[0].GetFlat(0); i++) v = Math.Sin(v) * 1.5;
                return v;
            }));
        yield return new("Pack", typeof(PackOp), [In(S.Normal, 2, 2), In(S.Normal, 3)], c => Pack.Of([c.X[0], c.X[1]]),
            x => Concat([x[0].Reshape(4), x[1]], 0));
        yield return new("Unpack", typeof(UnpackOp), [In(S.Normal, 2, 2), In(S.Normal, 3)],
            c => c.Graph.Apply(new UnpackOp(0), [Pack.Of([c.X[0], c.X[1] * 2.0]), c.X[0], c.X[1]]), x => x[0]);
    }

    /// <summary>The Scan rows' recurrence as a plain loop.</summary>
    private static Tensor ScanReference(double[] c, double[] xs, double[] k, bool reverse)
    {
        int n = c.Length, steps = xs.Length / n;
        var ys = new double[xs.Length];
        c = (double[])c.Clone();
        for (int s = 0; s < steps; s++)
        {
            int t = reverse ? steps - 1 - s : s;
            for (int i = 0; i < n; i++)
            {
                double x = xs[t * n + i];
                c[i] = c[i] * Math.Sin(x) + x * k[i];
                ys[t * n + i] = c[i] * c[i];
            }
        }
        return Tensor.FromArray(ys, steps, n);
    }
}
