using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// In-place optimizer steps over a variable w, its gradient g and slot arrays of the same length.
/// Each loop reads every element once and writes it once, so a training step allocates nothing.
/// </summary>
internal static class Updates
{
    /// <summary>w ← w − lr·g − lr·λ·w (λ: decoupled weight decay, 0 for none).</summary>
    public static void GradientDescent<T>(Span<T> w, ReadOnlySpan<T> g, T lr, T weightDecay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T decay = lr * weightDecay;
        for (int i = 0; i < w.Length; i++) w[i] -= lr * g[i] + decay * w[i];
    }

    /// <summary>a ← μ·a + g; w ← w − lr·a − lr·λ·w, or with Nesterov w ← w − lr·(g + μ·a) − lr·λ·w (λ: decoupled weight decay).</summary>
    public static void Momentum<T>(Span<T> w, Span<T> a, ReadOnlySpan<T> g, T lr, T mu, bool nesterov, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T decay = lr * weightDecay;
        for (int i = 0; i < w.Length; i++)
        {
            T ai = mu * a[i] + g[i];
            a[i] = ai;
            w[i] -= lr * (nesterov ? g[i] + mu * ai : ai) + decay * w[i];
        }
    }

    /// <summary>s ← ρ·s + (1−ρ)·g²; w ← w − lr·g / (√s + ε) − lr·λ·w (λ: decoupled weight decay).</summary>
    public static void RmsProp<T>(Span<T> w, Span<T> s, ReadOnlySpan<T> g, T lr, T rho, T epsilon, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T oneMinusRho = T.One - rho, decay = lr * weightDecay;
        for (int i = 0; i < w.Length; i++)
        {
            T gi = g[i], si = rho * s[i] + oneMinusRho * gi * gi;
            s[i] = si;
            w[i] -= lr * gi / (T.Sqrt(si) + epsilon) + decay * w[i];
        }
    }

    /// <summary>
    /// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lrT·m / (√v + ε) − lr·λ·w, where lrT carries the bias
    /// correction lr·√(1−β₂ᵗ)/(1−β₁ᵗ) and λ is the decoupled weight decay of AdamW (0 for Adam).
    /// </summary>
    public static void Adam<T>(Span<T> w, Span<T> m, Span<T> v, ReadOnlySpan<T> g, T lr, T lrT, T beta1, T beta2, T epsilon, T weightDecay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T c1 = T.One - beta1, c2 = T.One - beta2, decay = lr * weightDecay;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            // The same operations in the same order per lane, so the result equals the scalar loop's bit for bit.
            var (vb1, vc1, vb2, vc2) = (new Vector<T>(beta1), new Vector<T>(c1), new Vector<T>(beta2), new Vector<T>(c2));
            var (vlr, veps, vdecay) = (new Vector<T>(lrT), new Vector<T>(epsilon), new Vector<T>(decay));
            for (; i + Vector<T>.Count <= w.Length; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g[i..]);
                var mi = vb1 * new Vector<T>(m[i..]) + vc1 * gi;
                var vi = vb2 * new Vector<T>(v[i..]) + vc2 * gi * gi;
                var wi = new Vector<T>(w[i..]);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                (wi - (vlr * mi / (Vector.SquareRoot(vi) + veps) + vdecay * wi)).CopyTo(w[i..]);
            }
        }
        for (; i < w.Length; i++)
        {
            T gi = g[i];
            T mi = beta1 * m[i] + c1 * gi, vi = beta2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] -= lrT * mi / (T.Sqrt(vi) + epsilon) + decay * w[i];
        }
    }
}
