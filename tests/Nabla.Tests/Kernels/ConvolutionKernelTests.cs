using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The convolution kernels against direct sums, on batches large enough to be split over cores.</summary>
public class ConvolutionKernelTests
{
    private static readonly Conv2DGeometry[] s_geometries =
    [
        new(64, 1, 28, 28, 6, 5, 5, 1, 2, 1),   // the first LeNet-5 layer
        new(64, 6, 14, 14, 16, 5, 5, 1, 0, 1),  // the second
        new(17, 3, 13, 11, 5, 3, 3, 2, 1, 1),   // stride 2, odd sizes
        new(9, 2, 17, 15, 7, 3, 2, 1, 2, 2),    // dilation 2, padding wider than the reach of some rows
        new(31, 4, 7, 9, 3, 1, 1, 1, 0, 1),     // 1×1 filter
        new(3, 1, 5, 5, 2, 3, 3, 1, 1, 1),      // small: one thread
        new(3, 2, 12, 100, 8, 3, 3, 1, 1, 1),   // forward direct: two channels, 6 + 2 filters, a last column tile narrower than a vector
        new(6, 3, 9, 60, 7, 5, 3, 1, 0, 1),     // forward direct: no padding, non-square kernel, 6 + 1 filters
    ];

    public static TheoryData<int> Geometries() => [.. Enumerable.Range(0, s_geometries.Length)];

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FloatMatchesDirectSums(int geometry) => Check<float>(s_geometries[geometry], 1e-4);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void DoubleMatchesDirectSums(int geometry) => Check<double>(s_geometries[geometry], 1e-11);

    [Fact]
    public void WideStrideOneRowsTakeTheDirectKernels()
    {
        foreach (int i in new[] { 0, 6, 7 })
        {
            Assert.True(DirectConvolution.Fits<float>(s_geometries[i]), $"{s_geometries[i]} should fit (float)");
            Assert.True(DirectConvolution.Fits<double>(s_geometries[i]), $"{s_geometries[i]} should fit (double)");
            Assert.Equal(Vector512.IsHardwareAccelerated, DirectConvolution.FitsFilter<float>(s_geometries[i]));
        }
        foreach (int i in new[] { 1, 2, 3, 4, 5 }) Assert.False(DirectConvolution.Fits<float>(s_geometries[i]), $"{s_geometries[i]} should not fit");
    }

    private static void Check<T>(Conv2DGeometry g, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(g.N * g.C * g.H * g.W, 1);
        var f = Random<T>(g.O * g.Patch, 2);
        var dy = Random<T>(g.N * g.O * g.Pixels, 3);
        var (y, dx, df) = Reference(x, f, dy, g);

        var actualY = Stale<T>(y.Length);
        Convolution.Forward<T>(x, f, actualY, g);
        AssertClose(y, actualY, tolerance, "y", g);
        var actualDx = Stale<T>(dx.Length);
        Convolution.BackpropInput<T>(dy, f, actualDx, g);
        AssertClose(dx, actualDx, tolerance, "dx", g);
        var actualDf = Stale<T>(df.Length);
        Convolution.BackpropFilter<T>(x, dy, actualDf, g);
        AssertClose(df, actualDf, tolerance, "df", g);
        // The filter gradient is summed in a fixed order: a second call gives the same bits.
        var again = Stale<T>(df.Length);
        Convolution.BackpropFilter<T>(x, dy, again, g);
        Assert.Equal(actualDf, again);
    }

    /// <summary>y, dx and df by the defining sums: every (output pixel, filter tap) pair visited once.</summary>
    private static (T[] Y, T[] Dx, T[] Df) Reference<T>(T[] x, T[] f, T[] dy, Conv2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (y, dx, df) = (new T[dy.Length], new T[x.Length], new T[f.Length]);
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < g.O; o++)
                for (int i = 0; i < g.OH; i++)
                    for (int j = 0; j < g.OW; j++)
                    {
                        int yi = ((n * g.O + o) * g.OH + i) * g.OW + j;
                        for (int c = 0; c < g.C; c++)
                            for (int p = 0; p < g.KH; p++)
                                for (int q = 0; q < g.KW; q++)
                                {
                                    int h = i * g.Stride - g.Padding + p * g.Dilation, w = j * g.Stride - g.Padding + q * g.Dilation;
                                    if ((uint)h >= (uint)g.H || (uint)w >= (uint)g.W) continue;
                                    int xi = ((n * g.C + c) * g.H + h) * g.W + w, fi = ((o * g.C + c) * g.KH + p) * g.KW + q;
                                    y[yi] += f[fi] * x[xi];
                                    dx[xi] += f[fi] * dy[yi];
                                    df[fi] += x[xi] * dy[yi];
                                }
                    }
        return (y, dx, df);
    }

    private static void AssertClose<T>(T[] expected, T[] actual, double tolerance, string what, Conv2DGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]), a = double.CreateTruncating(actual[i]);
            if (!(Math.Abs(a - e) <= tolerance * (1 + Math.Abs(e)) * Math.Sqrt(g.N * g.Patch)))
                Assert.Fail($"{g}: {what}[{i}] = {a}, expected {e}");
        }
    }

    /// <summary>A result buffer full of NaN: every element must be overwritten.</summary>
    private static T[] Stale<T>(int length) where T : unmanaged, IFloatingPointIeee754<T> => Enumerable.Repeat(T.NaN, length).ToArray();

    private static T[] Random<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
    }
}
