namespace Nabla.NN.Tests;

/// <summary>
/// PyTorch's documented nn.LSTM and nn.GRU equations (batch first, one layer) in plain float64 loops, written apart
/// from the library: weights [gates·H, I] and [gates·H, H] in PyTorch's gate order, x [N, T, I], states [N, H].
/// </summary>
internal static class RecurrentReference
{
    public sealed record Weights(double[] Wih, double[] Whh, double[] Bih, double[] Bhh, int Input, int Hidden);

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>Row k of W·v for W [rows, n] flat.</summary>
    private static double Dot(double[] w, int k, int n, double[] v, int offset)
    {
        double s = 0;
        for (int j = 0; j < n; j++) s += w[k * n + j] * v[offset + j];
        return s;
    }

    /// <summary>Every step's h [N, T, H], and the final h and c [N, H].</summary>
    public static (double[] Outputs, double[] H, double[] C) Lstm(Weights w, double[] x, int n, int t, double[] h0, double[] c0)
    {
        int hs = w.Hidden, input = w.Input;
        var outputs = new double[n * t * hs];
        var h = (double[])h0.Clone();
        var c = (double[])c0.Clone();
        for (int b = 0; b < n; b++)
        {
            var hb = h[(b * hs)..((b + 1) * hs)];
            var cb = c[(b * hs)..((b + 1) * hs)];
            for (int s = 0; s < t; s++)
            {
                var pre = new double[4 * hs];
                for (int k = 0; k < 4 * hs; k++)
                    pre[k] = Dot(w.Wih, k, input, x, (b * t + s) * input) + w.Bih[k] + Dot(w.Whh, k, hs, hb, 0) + w.Bhh[k];
                for (int j = 0; j < hs; j++)
                {
                    double i = Sigmoid(pre[j]), f = Sigmoid(pre[hs + j]), g = Math.Tanh(pre[2 * hs + j]), o = Sigmoid(pre[3 * hs + j]);
                    cb[j] = f * cb[j] + i * g;
                    hb[j] = o * Math.Tanh(cb[j]);
                    outputs[(b * t + s) * hs + j] = hb[j];
                }
            }
            hb.CopyTo(h, b * hs);
            cb.CopyTo(c, b * hs);
        }
        return (outputs, h, c);
    }

    /// <summary>Every step's h [N, T, H], and the final h [N, H].</summary>
    public static (double[] Outputs, double[] H) Gru(Weights w, double[] x, int n, int t, double[] h0)
    {
        int hs = w.Hidden, input = w.Input;
        var outputs = new double[n * t * hs];
        var h = (double[])h0.Clone();
        for (int b = 0; b < n; b++)
        {
            var hb = h[(b * hs)..((b + 1) * hs)];
            for (int s = 0; s < t; s++)
            {
                var next = new double[hs];
                for (int j = 0; j < hs; j++)
                {
                    int xo = (b * t + s) * input;
                    double r = Sigmoid(Dot(w.Wih, j, input, x, xo) + w.Bih[j] + Dot(w.Whh, j, hs, hb, 0) + w.Bhh[j]);
                    double z = Sigmoid(Dot(w.Wih, hs + j, input, x, xo) + w.Bih[hs + j] + Dot(w.Whh, hs + j, hs, hb, 0) + w.Bhh[hs + j]);
                    double nn = Math.Tanh(Dot(w.Wih, 2 * hs + j, input, x, xo) + w.Bih[2 * hs + j] + r * (Dot(w.Whh, 2 * hs + j, hs, hb, 0) + w.Bhh[2 * hs + j]));
                    next[j] = (1 - z) * nn + z * hb[j];
                }
                next.CopyTo(hb, 0);
                for (int j = 0; j < hs; j++) outputs[(b * t + s) * hs + j] = hb[j];
            }
            hb.CopyTo(h, b * hs);
        }
        return (outputs, h);
    }
}
