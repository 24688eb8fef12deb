namespace Nabla.Tests.Fuzzing;

/// <summary>
/// Random graphs over the fuzzer's ops with random shapes and broadcasting, checked against the naive
/// references, fused against unfused plans, and (for graphs without kinks) reverse and forward mode against
/// finite differences. Seeded: every run checks the same cases.
/// </summary>
public class GraphFuzzTests
{
    /// <summary>Cases per property; the counts docs/RELIABILITY.md quotes.</summary>
    internal const int ReferenceCases = 10_000, FusionCases = 5_000, GradientCases = 3_000;

    private static void Close(Tensor expected, Tensor actual, double tol, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        double scale = Math.Max(1, e.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * scale, $"{what}: element {i} is {a[i]}, expected {e[i]}");
    }

    private static Tensor RunCase(FuzzCase c, DType dtype, bool fuse = true)
    {
        var g = new Graph();
        var (xs, y) = c.Build(g, dtype);
        using var s = new Session(g) { FuseElementwise = fuse };
        var feeds = new Feeds();
        for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = c.InputValue(i).Cast(dtype);
        return s.Run(y, feeds);
    }

    [Fact]
    public void RandomGraphsMatchTheNaiveReferences() =>
        Fuzz.Check("forward against the naive references", ReferenceCases, 1_000, c =>
        {
            Close(c.Reference(DType.Float64), RunCase(c, DType.Float64), 1e-9, "float64");
            if (c.Continuous) Close(c.Reference(DType.Float32), RunCase(c, DType.Float32), 1e-4, "float32");
        });

    [Fact]
    public void FusedPlansMatchUnfusedPlans() =>
        Fuzz.Check("fused against unfused plans", FusionCases, 2_000, c =>
        {
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                Close(RunCase(c, dtype, fuse: false), RunCase(c, dtype, fuse: true), dtype == DType.Float32 ? 1e-6 : 1e-13, $"fused {dtype}");
        });

    [Fact]
    public void RandomGraphsMatchFiniteDifferences() =>
        Fuzz.Check("derivatives against finite differences", GradientCases, 3_000, c =>
        {
            if (!c.Smooth) return;
            var g = new Graph();
            var (xs, y) = c.Build(g, DType.Float64);
            var loss = (y * g.Constant(Tensor.RandomNormal(y.Shape, 5, dtype: DType.Float64))).Sum();
            var feeds = new Feeds();
            for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = c.InputValue(i);
            using var s = new Session(g);
            foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
            {
                var check = GradientCheck.Compute(loss, xs, feeds, new GradientCheckOptions { Mode = mode, Session = s });
                Assert.True(check.MaxRelError <= 1e-5, $"{mode} mode: Jacobian error {check.MaxRelError:g3} (absolute {check.MaxAbsError:g3})");
            }
        });
}
