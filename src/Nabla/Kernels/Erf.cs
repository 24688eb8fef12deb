using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// The error function erf x = (2/√π)∫₀ˣ e^(−t²) dt, to about 1e-15 in float64 (float32 is computed in float64).
/// |x| &lt; 3: erf x = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3···(2n+1)), a series of positive terms (no cancellation).
/// 3 ≤ |x| &lt; 6: erf x = 1 − erfc x, with erfc from its continued fraction e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))).
/// |x| ≥ 6: ±1 (erfc 6 ≈ 2e-17).
/// </summary>
internal readonly struct ErfKernel : IUnaryKernel
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateChecked(Erf(double.CreateChecked(x[i])));
    }

    /// <summary>erf x in float64.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        double value = a >= 6 ? 1 : a >= 3 ? 1 - ErfcContinuedFraction(a) : Series(a);
        return x < 0 ? -value : value;
    }

    private static double Series(double a)
    {
        double x2 = a * a, term = a, sum = a;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
    }

    /// <summary>erfc a for a ≥ 3, the continued fraction evaluated backwards from a fixed depth (ample at a ≥ 3).</summary>
    private static double ErfcContinuedFraction(double a)
    {
        double f = a;
        for (int k = 60; k >= 1; k--) f = a + k / 2.0 / f;
        return Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
    }
}
