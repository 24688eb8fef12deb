namespace Nabla.Tests.OpTable;

/// <summary>Draws n sample values for one input.</summary>
internal delegate double[] Sampler(Random rng, int n);

/// <summary>One input of a case: its run-time shape, how to sample it, whether it is differentiable, and the shape the placeholder declares.</summary>
internal sealed record Input(Shape Shape, Sampler Sample, bool Differentiable = true, Shape? Declared = null);

/// <summary>What the derivative checks expect of a case.</summary>
internal enum GradKind
{
    /// <summary>Checked against finite differences (first and second order), and JVP against VJP.</summary>
    Checked,
    /// <summary>No gradient: every input's gradient is null and the tangent is zero.</summary>
    None,
    /// <summary>Asking for a gradient is an error (stateful ops).</summary>
    Throws,
}

internal sealed record BuildContext(Graph Graph, Node[] X, DType DType);

/// <summary>
/// One row of the op table: how to build the op from placeholders, sample inputs, and a naive reference
/// for its forward value. The generic tests walk every row.
/// </summary>
internal sealed record OpCase(
    string Name,
    Type Op,
    Input[] Inputs,
    Func<BuildContext, Node> Build,
    Func<Tensor[], Tensor> Reference,
    GradKind Gradient = GradKind.Checked,
    double Step = 1e-6,
    double Tolerance = 1e-6,
    bool SpecialValues = false)
{
    /// <summary>This row, with its forward also checked where every differentiable input holds NaN, ±∞, ±0, huge or tiny values.</summary>
    public OpCase AtSpecialValues() => this with { SpecialValues = true };

    public override string ToString() => Name;
}

internal static class Samplers
{
    public static double[] Normal(Random r, int n) =>
        Enumerable.Range(0, n).Select(_ => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble())).ToArray();

    public static double[] Positive(Random r, int n) => Enumerable.Range(0, n).Select(_ => 0.5 + 1.5 * r.NextDouble()).ToArray();

    /// <summary>|x| in [0.3, 1.3]: away from the kinks of Abs and Relu at 0.</summary>
    public static double[] AwayFromZero(Random r, int n) =>
        Enumerable.Range(0, n).Select(_ => (0.3 + r.NextDouble()) * (r.Next(2) == 0 ? -1 : 1)).ToArray();

    /// <summary>The values where elementwise ops are most often wrong: NaN, ±∞, ±0, huge and tiny magnitudes of both signs, and ordinary values.</summary>
    public static double[] Special(Random r, int n)
    {
        double[] pool = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, 1e30, -1e30, 1e-30, -1e-30, 88.8, -88.8, 710, -710, 1, -1, 0.5, -2.5, 30, -30];
        return Enumerable.Range(0, n).Select(_ => pool[r.Next(pool.Length)]).ToArray();
    }

    public static double[] Mask(Random r, int n) => Enumerable.Range(0, n).Select(_ => (double)r.Next(2)).ToArray();

    public static double[] SmallIntegers(Random r, int n) => Enumerable.Range(0, n).Select(_ => (double)r.Next(3)).ToArray();

    /// <summary>Distinct values on a grid 0.4 apart, shifted by offset: no ties for Max, and a second input with offset 0.2 never ties the first.</summary>
    public static Sampler Distinct(double offset) => (r, n) =>
        Enumerable.Range(0, n).OrderBy(_ => r.Next()).Select(k => (k - n / 2) * 0.4 + offset + 0.01 * r.NextDouble()).ToArray();
}
