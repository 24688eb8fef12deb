using System.Reflection;

namespace Nabla.Tests.OpTable;

/// <summary>
/// Walks every row of the op table: forward against the naive reference in both dtypes (and at special values
/// where the row asks), the Jacobians of reverse and forward mode against central finite differences (float64,
/// through <see cref="GradientCheck"/>), second derivatives (Gradients of Gradients) against finite differences
/// of the first gradient, and the float32 gradient against the float64 one. Rows without a gradient, or whose
/// gradient is an error, assert that in both modes and at second order.
/// </summary>
public class OpTableTests
{
    /// <summary>Rows from every class named *OpCases with a static All() method, so an op family adds its rows without editing a list.</summary>
    internal static readonly OpCase[] Cases = typeof(OpTableTests).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("OpCases", StringComparison.Ordinal))
        .SelectMany(t => (IEnumerable<OpCase>)t.GetMethod("All", BindingFlags.Static | BindingFlags.Public)!.Invoke(null, null)!)
        .ToArray();

    public static TheoryData<string> Names() => [.. Cases.Select(c => c.Name)];

    public static TheoryData<string> SpecialValueNames() => [.. Cases.Where(c => c.SpecialValues).Select(c => c.Name)];

    private static OpCase Case(string name) => Cases.Single(c => c.Name == name);

    [Fact]
    public void EveryOpTypeHasARow()
    {
        var ops = typeof(Op).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract);
        var covered = Cases.Select(c => c.Op).ToHashSet();
        var missing = ops.Where(t => !covered.Contains(t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"Op types without a row in the op table: {string.Join(", ", missing)}");
    }

    [Fact]
    public void RowNamesAreUnique() => Assert.Equal(Cases.Length, Cases.Select(c => c.Name).Distinct().Count());

    private sealed record Built(Graph G, Node[] X, Node Y, Session S, Tensor[] Values);

    private static Built Build(OpCase c, DType dtype, int seed = 1, bool special = false)
    {
        var g = new Graph();
        var xs = c.Inputs.Select((inp, i) => g.Placeholder($"x{i}", inp.Declared ?? inp.Shape, dtype)).ToArray();
        var y = c.Build(new BuildContext(g, xs, dtype));
        var rng = new Random(seed);
        var values = c.Inputs.Select(inp => Sample(special && inp.Differentiable ? inp with { Sample = Samplers.Special } : inp, rng).Cast(dtype)).ToArray();
        return new Built(g, xs, y, new Session(g), values);
    }

    private static Tensor Sample(Input input, Random rng)
    {
        var data = input.Sample(rng, input.Shape.Size);
        return input.Shape.Rank == 0 ? Tensor.Scalar(data[0], DType.Float64) : Tensor.FromArray(data, input.Shape.Dims);
    }

    private static Feeds FeedsOf(Built b, Tensor[]? values = null)
    {
        var feeds = new Feeds();
        for (int i = 0; i < b.X.Length; i++) feeds[b.X[i]] = (values ?? b.Values)[i];
        return feeds;
    }

    private static Tensor RandomLike(Shape shape, int seed) => Tensor.RandomNormal(shape, seed, dtype: DType.Float64);

    private static int[] DifferentiableInputs(OpCase c) => Enumerable.Range(0, c.Inputs.Length).Where(i => c.Inputs[i].Differentiable).ToArray();

    /// <summary>Element-wise agreement within tol·max(1, max |expected|); NaN matches NaN and an infinity matches itself.</summary>
    private static void Close(double[] expected, double[] actual, double tol, string what, bool perElement = false)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a)
                : double.IsInfinity(e) ? e == a
                : Math.Abs(e - a) <= tol * (perElement ? Math.Max(1, Math.Abs(e)) : scale);
            Assert.True(ok, $"{what}: element {i} is {a}, expected {e} (tolerance {tol * scale:g3})");
        }
    }

    private static void CheckForward(OpCase c, bool special, int seed)
    {
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            var b = Build(c, dtype, seed, special);
            Assert.Equal(c.Op, b.Y.Op.GetType());
            var actual = b.S.Run(b.Y, FeedsOf(b));
            var expected = c.Reference(b.Values.Select(v => v.Cast(DType.Float64)).ToArray());
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.True(b.Y.Shape.IsCompatibleWith(actual.Shape), $"static shape {b.Y.Shape} vs run-time {actual.Shape}");
            // float32: the float64 reference rounded to float32 (a huge finite result becomes ∞ there).
            var e = expected.ToArray<double>().Select(v => dtype == DType.Float32 ? (float)v : v).ToArray();
            Close(e, actual.ToArray<double>(), dtype == DType.Float64 ? 1e-12 : 1e-5, $"{c.Name} {dtype} (seed {seed})", perElement: special);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardMatchesReference(string name) => CheckForward(Case(name), special: false, seed: 1);

    [Theory]
    [MemberData(nameof(SpecialValueNames))]
    public void ForwardMatchesReferenceAtSpecialValues(string name)
    {
        for (int seed = 1; seed <= 16; seed++) CheckForward(Case(name), special: true, seed);
    }

    /// <summary>Gradients (seeded with u) of each differentiable input; asserts the others get null.</summary>
    private static Node?[] SeededGradients(OpCase c, Built b, Tensor u)
    {
        var grads = b.G.Gradients(b.Y, b.X, b.G.Constant(u.Cast(b.Y.DType)));
        for (int i = 0; i < grads.Length; i++)
            if (!c.Inputs[i].Differentiable) Assert.Null(grads[i]);
        return grads;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void JacobiansMatchFiniteDifferences(string name)
    {
        var c = Case(name);
        var b = Build(c, DType.Float64);
        if (AssertNoGradient(c, b)) return;
        var diff = DifferentiableInputs(c);
        SeededGradients(c, b, RandomLike(b.S.Run(b.Y, FeedsOf(b)).Shape, 7));
        foreach (var mode in new[] { JacobianMode.Reverse, JacobianMode.Forward })
        {
            var check = GradientCheck.Compute(b.Y, diff.Select(i => b.X[i]).ToArray(), FeedsOf(b),
                new GradientCheckOptions { Mode = mode, Step = c.Step, Session = b.S });
            Assert.True(check.MaxRelError <= c.Tolerance, $"{name} {mode}: Jacobian error {check.MaxRelError:g3} (absolute {check.MaxAbsError:g3}) exceeds {c.Tolerance}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SecondDerivativesMatchFiniteDifferences(string name)
    {
        var c = Case(name);
        if (c.Gradient != GradKind.Checked)
        {
            AssertNoGradientAtSecondOrder(c);
            return;
        }
        var b = Build(c, DType.Float64);
        var u = RandomLike(b.S.Run(b.Y, FeedsOf(b)).Shape, 7);
        var grads = SeededGradients(c, b, u);
        // s = Σ ⟨w_i, ∂⟨u, y⟩/∂x_i⟩; its gradient is a Hessian-vector product.
        Node? s = null;
        foreach (int i in DifferentiableInputs(c))
            if (grads[i] is not null)
            {
                var term = (grads[i]! * b.G.Constant(RandomLike(c.Inputs[i].Shape, 200 + i))).Sum();
                s = s is null ? term : s + term;
            }
        if (s is null) return;
        var xs = DifferentiableInputs(c).Select(i => b.X[i]).ToArray();
        var check = GradientCheck.Compute(s, xs, FeedsOf(b), new GradientCheckOptions { Step = Math.Max(c.Step, 1e-5), Session = b.S });
        double tol = Math.Max(c.Tolerance, 1e-5);
        Assert.True(check.MaxRelError <= tol, $"{name}: second-derivative error {check.MaxRelError:g3} exceeds {tol}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Float32GradientsMatchFloat64(string name)
    {
        var c = Case(name);
        if (c.Gradient != GradKind.Checked) return;
        Tensor[] Grads(DType dtype)
        {
            var b = Build(c, dtype);
            var u = RandomLike(b.S.Run(b.Y, FeedsOf(b)).Shape, 7);
            var grads = b.G.Gradients(b.Y, DifferentiableInputs(c).Select(i => b.X[i]).ToArray(),
                new GradientOptions { GradY = b.G.Constant(u.Cast(dtype)), ZerosForUnconnected = true });
            return b.S.Run(grads, FeedsOf(b));
        }
        var wide = Grads(DType.Float64);
        var narrow = Grads(DType.Float32);
        for (int k = 0; k < wide.Length; k++)
        {
            Assert.Equal(DType.Float32, narrow[k].DType);
            Close(wide[k].ToArray<double>(), narrow[k].ToArray<double>(), Math.Max(1e-4, c.Tolerance), $"{name}: float32 gradient of input {k}");
        }
    }

    /// <summary>For rows without a checked gradient: asserts what the row claims in reverse and forward mode; true when the row is done.</summary>
    private static bool AssertNoGradient(OpCase c, Built b)
    {
        if (c.Gradient == GradKind.Checked) return false;
        var diff = DifferentiableInputs(c).Select(i => b.X[i]).ToArray();
        var tangents = diff.Select(x => b.G.Constant(RandomLike(c.Inputs[Array.IndexOf(b.X, x)].Shape, 3).Cast(x.DType))).ToArray();
        if (c.Gradient == GradKind.Throws)
        {
            Assert.Throws<GradientException>(() => b.G.Gradients(b.Y, b.X));
            Assert.Throws<GradientException>(() => b.G.Jvp(b.Y, diff, tangents));
            return true;
        }
        Assert.All(b.G.Gradients(b.Y, b.X), Assert.Null);
        var jv = b.S.Run(b.G.Jvp(b.Y, diff, tangents), FeedsOf(b));
        Assert.All(jv.ToArray<double>(), v => Assert.Equal(0, v));
        return true;
    }

    /// <summary>
    /// The op applied to first-order gradient nodes (each equal to its input: ∂Σ½p²/∂p = p), then differentiated
    /// again: still no gradient (None), or still an error (Throws), in both modes.
    /// </summary>
    private static void AssertNoGradientAtSecondOrder(OpCase c)
    {
        var g = new Graph();
        var ps = c.Inputs.Select((inp, i) => g.Placeholder($"p{i}", inp.Declared ?? inp.Shape, DType.Float64)).ToArray();
        var firsts = ps.Select(p => g.Gradients((p * p * 0.5).Sum(), [p])[0]!).ToArray();
        var y = c.Build(new BuildContext(g, firsts, DType.Float64));
        var tangents = ps.Select((p, i) => g.Constant(RandomLike(c.Inputs[i].Shape, 5))).ToArray();
        if (c.Gradient == GradKind.Throws)
        {
            Assert.Throws<GradientException>(() => g.Gradients(y, ps));
            Assert.Throws<GradientException>(() => g.Jvp(y, ps, tangents));
            return;
        }
        Assert.All(g.Gradients(y, ps), Assert.Null);
        using var s = new Session(g);
        var feeds = new Feeds();
        var rng = new Random(1);
        for (int i = 0; i < ps.Length; i++) feeds[ps[i]] = Sample(c.Inputs[i], rng);
        Assert.All(s.Run(g.Jvp(y, ps, tangents), feeds).ToArray<double>(), v => Assert.Equal(0, v));
    }
}
