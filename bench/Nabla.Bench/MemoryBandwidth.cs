using System.Diagnostics;
using System.Numerics;

namespace Nabla.Bench;

/// <summary>
/// The machine's main-memory bandwidth, measured as STREAM's triad (a = b + s·c) over arrays far larger than the
/// caches, every core on its own share; the best of several rounds counts, as three arrays' bytes per element.
/// </summary>
internal static class MemoryBandwidth
{
    private const int Elements = 32 << 20; // 128 MB per array

    /// <summary>Triad bandwidth in GB/s (10⁹ bytes) over all cores.</summary>
    public static double Measure()
    {
        var a = new float[Elements]; var b = new float[Elements]; var c = new float[Elements];
        Array.Fill(b, 1f); Array.Fill(c, 2f); Array.Fill(a, 0f); // touch every page before timing
        int threads = Environment.ProcessorCount, share = Elements / threads / Vector<float>.Count * Vector<float>.Count;
        double best = 0;
        for (int round = 0; round < 6; round++)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                int from = t * share, to = t == threads - 1 ? Elements : from + share;
                Triad(a.AsSpan(from, to - from), b.AsSpan(from, to - from), c.AsSpan(from, to - from), 3f);
            });
            sw.Stop();
            if (round > 0) best = Math.Max(best, 3.0 * sizeof(float) * Elements / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    private static void Triad(Span<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, float s)
    {
        var scale = new Vector<float>(s);
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(b[i..]) + scale * new Vector<float>(c[i..])).CopyTo(a[i..]);
        for (; i < a.Length; i++) a[i] = b[i] + s * c[i];
    }
}
