using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>Max pooling and its gradient against direct window scans, on inputs large enough to be split over cores.</summary>
public class PoolingKernelTests
{
    [Theory]
    [InlineData(2, 2, 28, 28)]
    [InlineData(2, 2, 29, 27)]
    [InlineData(2, 2, 10, 10)] // five windows a row: one vector group and one that overlaps it
    [InlineData(2, 2, 9, 8)]   // four windows a row: exactly one group
    [InlineData(2, 2, 7, 6)]   // three windows a row: the scalar path
    [InlineData(3, 2, 17, 19)]
    [InlineData(3, 3, 10, 11)]
    [InlineData(2, 1, 9, 8)]
    public void FloatMatchesWindowScans(int kernel, int stride, int h, int w) => Check<float>(kernel, stride, h, w);

    [Theory]
    [InlineData(2, 2, 28, 28)]
    [InlineData(3, 2, 17, 19)]
    public void DoubleMatchesWindowScans(int kernel, int stride, int h, int w) => Check<double>(kernel, stride, h, w);

    private static void Check<T>(int kernel, int stride, int h, int w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = 3 * (1 << 15) / (h * w) + 5; // past the parallel threshold
        var g = new Pool2DGeometry(planes, h, w, kernel, stride);
        var random = new Random(7);
        // Few distinct values make ties common; a sprinkling of NaN checks that a NaN wins its window.
        var x = Enumerable.Range(0, planes * h * w)
            .Select(_ => random.Next(200) == 0 ? T.NaN : T.CreateTruncating(random.Next(5) - 2)).ToArray();
        var dy = Enumerable.Range(0, planes * g.OH * g.OW).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5)).ToArray();
        var (y, dx) = Reference(x, dy, g);

        var actualY = Enumerable.Repeat(T.One, y.Length).ToArray();
        PoolingLoop<T>.Run(PoolingPass.Max, x, default, actualY, g);
        for (int i = 0; i < y.Length; i++)
            if (!(y[i] == actualY[i] || T.IsNaN(y[i]) && T.IsNaN(actualY[i]))) Assert.Fail($"{g}: y[{i}] = {actualY[i]}, expected {y[i]}");

        var actualDx = Enumerable.Repeat(T.NaN, dx.Length).ToArray();
        PoolingLoop<T>.Run(PoolingPass.MaxGrad, x, dy, actualDx, g);
        for (int i = 0; i < dx.Length; i++)
            if (!(T.Abs(dx[i] - actualDx[i]) <= T.CreateTruncating(1e-6))) Assert.Fail($"{g}: dx[{i}] = {actualDx[i]}, expected {dx[i]}");
    }

    /// <summary>y = each window's maximum (NaN if it holds one); dx gets dy at each window's first NaN, else first largest element.</summary>
    private static (T[] Y, T[] Dx) Reference<T>(T[] x, T[] dy, Pool2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (y, dx) = (new T[dy.Length], new T[x.Length]);
        for (int n = 0, wi = 0; n < g.Planes; n++)
            for (int i = 0; i < g.OH; i++)
                for (int j = 0; j < g.OW; j++, wi++)
                {
                    int best = -1, firstNaN = -1;
                    for (int p = 0; p < g.Kernel; p++)
                        for (int q = 0; q < g.Kernel; q++)
                        {
                            int at = (n * g.H + i * g.Stride + p) * g.W + j * g.Stride + q;
                            if (T.IsNaN(x[at])) { if (firstNaN < 0) firstNaN = at; }
                            else if (best < 0 || x[at] > x[best]) best = at;
                        }
                    int chosen = firstNaN >= 0 ? firstNaN : best;
                    y[wi] = x[chosen];
                    dx[chosen] += dy[wi];
                }
        return (y, dx);
    }
}
