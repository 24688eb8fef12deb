using System.Reflection;

namespace Nabla.Tests.OpTable;

/// <summary>
/// Walks every row of the op table: forward against the reference in both dtypes, VJP against central
/// finite differences (float64), JVP against VJP by ⟨u, J v⟩ = ⟨Jᵀu, v⟩, and second derivatives
/// (Gradients of Gradients) against finite differences of the first gradient.
/// </summary>
public class OpTableTests
{
    /// <summary>Rows from every class named *OpCases with a static All() method, so an op family adds its rows without editing a list.</summary>
    internal static readonly OpCase[] Cases = typeof(OpTableTests).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("OpCases", StringComparison.Ordinal))
        .SelectMany(t => (IEnumerable<OpCase>)t.GetMethod("All", BindingFlags.Static | BindingFlags.Public)!.Invoke(null, null)!)
        .ToArray();

    public static TheoryData<string> Names() => [.. Cases.Select(c => c.Name)];

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

    private static Built Build(OpCase c, DType dtype, int seed = 1)
    {
        var g = new Graph();
        var xs = c.Inputs.Select((inp, i) => g.Placeholder($"x{i}", inp.Declared ?? inp.Shape, dtype)).ToArray();
        var y = c.Build(new BuildContext(g, xs, dtype));
        var rng = new Random(seed);
        var values = c.Inputs.Select(inp => Sample(inp, rng).Cast(dtype)).ToArray();
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

    private static double Dot(Tensor a, Tensor b) => a.ToArray<double>().Zip(b.ToArray<double>(), (x, y) => x * y).Sum();

    private static void Close(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * scale,
                $"{what}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tol * scale:g3})");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardMatchesReference(string name)
    {
        var c = Case(name);
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            var b = Build(c, dtype);
            Assert.Equal(c.Op, b.Y.Op.GetType());
            var actual = b.S.Run(b.Y, FeedsOf(b));
            var expected = c.Reference(b.Values.Select(v => v.Cast(DType.Float64)).ToArray());
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.True(b.Y.Shape.IsCompatibleWith(actual.Shape), $"static shape {b.Y.Shape} vs run-time {actual.Shape}");
            Close(expected.ToArray<double>(), actual.ToArray<double>(), dtype == DType.Float64 ? 1e-12 : 1e-5, $"{name} {dtype}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void VjpMatchesFiniteDifferences(string name)
    {
        var c = Case(name);
        var b = Build(c, DType.Float64);
        if (c.Gradient == GradKind.Throws)
        {
            Assert.Throws<GradientException>(() => b.G.Gradients(b.Y, b.X));
            return;
        }
        var shape = b.S.Run(b.Y, FeedsOf(b)).Shape;
        var u = RandomLike(shape, 7);
        var grads = b.G.Gradients(b.Y, b.X, b.G.Constant(u.Cast(b.Y.DType)));
        if (c.Gradient == GradKind.None)
        {
            Assert.All(grads, Assert.Null);
            return;
        }
        double Loss(Tensor[] values) => Dot(u, b.S.Run(b.Y, FeedsOf(b, values)));
        for (int i = 0; i < b.X.Length; i++)
        {
            if (!c.Inputs[i].Differentiable) { Assert.Null(grads[i]); continue; }
            var analytic = grads[i] is null ? new double[b.Values[i].Size] : b.S.Run(grads[i]!, FeedsOf(b)).ToArray<double>();
            var numeric = FiniteDifference(b.Values, i, c.Step, Loss);
            Close(numeric, analytic, c.Tolerance, $"{name}: gradient of input {i}");
        }
    }

    private static double[] FiniteDifference(Tensor[] values, int input, double h, Func<Tensor[], double> f)
    {
        var result = new double[values[input].Size];
        for (int j = 0; j < result.Length; j++)
        {
            var plus = values.Select(v => v.Clone()).ToArray();
            var minus = values.Select(v => v.Clone()).ToArray();
            plus[input].SetFlat(j, plus[input].GetFlat(j) + h);
            minus[input].SetFlat(j, minus[input].GetFlat(j) - h);
            result[j] = (f(plus) - f(minus)) / (2 * h);
        }
        return result;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void JvpMatchesVjp(string name)
    {
        var c = Case(name);
        if (c.Gradient == GradKind.Throws) return;
        var b = Build(c, DType.Float64);
        var diff = Enumerable.Range(0, b.X.Length).Where(i => c.Inputs[i].Differentiable).ToArray();
        var xs = diff.Select(i => b.X[i]).ToArray();
        var vs = diff.Select(i => RandomLike(c.Inputs[i].Shape, 100 + i)).ToArray();
        var tangent = b.G.Jvp(b.Y, xs, vs.Select(v => b.G.Constant(v)).ToArray());
        var feeds = FeedsOf(b);
        var jv = b.S.Run(tangent, feeds);
        var u = RandomLike(jv.Shape, 7);
        var grads = b.G.Gradients(b.Y, xs, b.G.Constant(u.Cast(b.Y.DType)));
        double lhs = Dot(u, jv);
        double rhs = 0;
        for (int k = 0; k < xs.Length; k++)
            if (grads[k] is not null) rhs += Dot(b.S.Run(grads[k]!, feeds), vs[k]);
        if (c.Gradient == GradKind.None) Assert.Equal(0, lhs);
        Assert.True(Math.Abs(lhs - rhs) <= c.Tolerance * 1e-3 * Math.Max(1, Math.Abs(rhs)), $"{name}: <u, J v> = {lhs} but <J^T u, v> = {rhs}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SecondDerivativesMatchFiniteDifferences(string name)
    {
        var c = Case(name);
        if (c.Gradient != GradKind.Checked) return;
        var b = Build(c, DType.Float64);
        var u = RandomLike(b.S.Run(b.Y, FeedsOf(b)).Shape, 7);
        var grads = b.G.Gradients(b.Y, b.X, b.G.Constant(u.Cast(b.Y.DType)));
        // s = Σ ⟨w_i, ∂⟨u, y⟩/∂x_i⟩; its gradient is a Hessian-vector product.
        Node? s = null;
        for (int i = 0; i < grads.Length; i++)
            if (grads[i] is not null)
            {
                var term = (grads[i]! * b.G.Constant(RandomLike(c.Inputs[i].Shape, 200 + i))).Sum();
                s = s is null ? term : s + term;
            }
        if (s is null) return;
        var second = b.G.Gradients(s, b.X);
        double S(Tensor[] values) => b.S.Run(s, FeedsOf(b, values)).Scalar<double>();
        for (int i = 0; i < b.X.Length; i++)
        {
            if (!c.Inputs[i].Differentiable) continue;
            var analytic = second[i] is null ? new double[b.Values[i].Size] : b.S.Run(second[i]!, FeedsOf(b)).ToArray<double>();
            var numeric = FiniteDifference(b.Values, i, Math.Max(c.Step, 1e-5), S);
            Close(numeric, analytic, Math.Max(c.Tolerance, 1e-5), $"{name}: second derivative for input {i}");
        }
    }
}
