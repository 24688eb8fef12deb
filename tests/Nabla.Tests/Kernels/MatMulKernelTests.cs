using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class MatMulKernelTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        int[] awkward = [1, 3, 7, 17, 31, 65, 127, 129];
        foreach (int s in awkward) data.Add(s, s, s);
        data.Add(1, 129, 7); data.Add(129, 1, 31); data.Add(65, 17, 300); data.Add(7, 200, 3);
        data.Add(97, 131, 520); data.Add(300, 5, 64); data.Add(2, 1000, 17); data.Add(5, 70, 600); data.Add(12, 4100, 9);
        // Small products (no packing): attention-sized, vector-wide rows, rows shorter than a vector, odd inner sizes.
        data.Add(16, 16, 16); data.Add(5, 17, 9); data.Add(2, 33, 8); data.Add(16, 16, 3); data.Add(1, 1, 16); data.Add(3, 8, 40); data.Add(9, 7, 23);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void FloatMatchesNaiveForAllTransposes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var (a, b) = (Random<float>(m * k, 1), Random<float>(k * n, 2));
                var expected = Naive(a, b, m, n, k, ta, tb);
                var c = Enumerable.Repeat(float.NaN, m * n + 3).ToArray(); // stale values must be overwritten
                MatMul.Multiply<float>(a, b, c, m, n, k, ta, tb);
                for (int i = 0; i < m * n; i++)
                    if (!(Math.Abs(c[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])) * Math.Sqrt(k))) Assert.Fail($"{m}×{n}×{k} ta={ta} tb={tb} at {i}: {c[i]} vs {expected[i]}");
                Assert.True(float.IsNaN(c[m * n]), "wrote past m·n");
            }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void DoubleMatchesNaiveForAllTransposes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var (a, b) = (Random<double>(m * k, 3), Random<double>(k * n, 4));
                var expected = Naive(a, b, m, n, k, ta, tb);
                var c = new double[m * n];
                MatMul.Multiply<double>(a, b, c, m, n, k, ta, tb);
                for (int i = 0; i < m * n; i++)
                    if (!(Math.Abs(c[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])) * k)) Assert.Fail($"{m}×{n}×{k} ta={ta} tb={tb} at {i}: {c[i]} vs {expected[i]}");
            }
    }

    [Theory]
    [InlineData(200, 190, 300)] // row blocks split over cores, edge tiles everywhere
    [InlineData(96, 400, 200)]  // few rows: column chunks split over cores
    [InlineData(7, 9000, 80)]   // few rows, B streamed in place, columns beyond one block
    [InlineData(20, 40, 530)]   // k cut into three equal slices
    public void LargeParallelProductsMatchNaive(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var (a, b) = (Random<float>(m * k, 5), Random<float>(k * n, 6));
                var expected = Naive(a, b, m, n, k, ta, tb);
                var c = new float[m * n];
                MatMul.Multiply<float>(a, b, c, m, n, k, ta, tb);
                for (int i = 0; i < m * n; i++)
                    if (!(Math.Abs(c[i] - expected[i]) <= 1e-3)) Assert.Fail($"{m}×{n}×{k} ta={ta} tb={tb} at {i}: {c[i]} vs {expected[i]}");
            }
    }

    [Fact]
    public unsafe void EveryVectorWidthMatchesNaive()
    {
        // Widths the CPU lacks still run (emulated), so each microkernel instantiation is checked here.
        const int m = 19, n = 37, k = 41;
        var (af, bf) = (Random<float>(m * k, 9), Random<float>(k * n, 10));
        var (ad, bd) = (Random<double>(m * k, 11), Random<double>(k * n, 12));
        var ef = Naive(af, bf, m, n, k, false, true);
        var ed = Naive(ad, bd, m, n, k, false, true);
        fixed (float* a = af) fixed (float* b = bf)
        {
            foreach (var width in new[] { 4, 8, 16 })
            {
                var c = new float[m * n];
                fixed (float* pc = c)
                {
                    if (width == 4) Gemm<F32x4, Vector128<float>, float>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                    if (width == 8) Gemm<F32x8, Vector256<float>, float>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                    if (width == 16) Gemm<F32x16, Vector512<float>, float>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                }
                for (int i = 0; i < m * n; i++) Assert.Equal(ef[i], c[i], 1e-4f);
            }
        }
        fixed (double* a = ad) fixed (double* b = bd)
        {
            foreach (var width in new[] { 2, 4, 8 })
            {
                var c = new double[m * n];
                fixed (double* pc = c)
                {
                    if (width == 2) Gemm<F64x2, Vector128<double>, double>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                    if (width == 4) Gemm<F64x4, Vector256<double>, double>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                    if (width == 8) Gemm<F64x8, Vector512<double>, double>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                }
                for (int i = 0; i < m * n; i++) Assert.Equal(ed[i], c[i], 1e-12);
            }
        }
    }

    /// <summary>
    /// Every remainder of the 6-row tile (up to 3 rows by the half tile) and a range of the 2-vector tile width (A,
    /// row-major or transposed, read in place with a packed ragged tile; B streamed in place up to 64 rows), with one
    /// k slice and with three (accumulating edge tiles), on every vector width.
    /// </summary>
    [Fact]
    public unsafe void EveryTileRemainderOnEveryWidthMatchesNaive()
    {
        int[] rows = [1, 2, 3, 5, 6, 7, 11, 12, 13, 17, 18, 19, 20, 23, 24, 29, 32, 63, 64, 65, 97, 107];
        int[] cols = [1, 15, 17, 31, 33, 50];
        foreach (int k in new[] { 5, 530 })
            foreach (int m in rows)
                foreach (int n in cols)
                {
                    var (af, bf) = (Random<float>(m * k, m + n), Random<float>(k * n, m * n));
                    var (ad, bd) = (Random<double>(m * k, m + n), Random<double>(k * n, m * n));
                    foreach (bool ta in new[] { false, true })
                    {
                        nint rsA = ta ? 1 : k, csA = ta ? m : 1;
                        var ef = Naive(af, bf, m, n, k, ta, false);
                        var ed = Naive(ad, bd, m, n, k, ta, false);
                        fixed (float* a = af) fixed (float* b = bf)
                            for (int width = 4; width <= 16; width *= 2)
                            {
                                var c = new float[m * n];
                                fixed (float* pc = c)
                                {
                                    if (width == 4) Gemm<F32x4, Vector128<float>, float>.Multiply(a, rsA, csA, b, n, 1, pc, m, n, k);
                                    if (width == 8) Gemm<F32x8, Vector256<float>, float>.Multiply(a, rsA, csA, b, n, 1, pc, m, n, k);
                                    if (width == 16) Gemm<F32x16, Vector512<float>, float>.Multiply(a, rsA, csA, b, n, 1, pc, m, n, k);
                                }
                                for (int i = 0; i < m * n; i++)
                                    if (!(Math.Abs(c[i] - ef[i]) <= 1e-4 * (1 + Math.Abs(ef[i])) * Math.Sqrt(k))) Assert.Fail($"float ×{width} {m}×{n}×{k} ta={ta} at {i}: {c[i]} vs {ef[i]}");
                            }
                        fixed (double* a = ad) fixed (double* b = bd)
                            for (int width = 2; width <= 8; width *= 2)
                            {
                                var c = new double[m * n];
                                fixed (double* pc = c)
                                {
                                    if (width == 2) Gemm<F64x2, Vector128<double>, double>.Multiply(a, rsA, csA, b, n, 1, pc, m, n, k);
                                    if (width == 4) Gemm<F64x4, Vector256<double>, double>.Multiply(a, rsA, csA, b, n, 1, pc, m, n, k);
                                    if (width == 8) Gemm<F64x8, Vector512<double>, double>.Multiply(a, rsA, csA, b, n, 1, pc, m, n, k);
                                }
                                for (int i = 0; i < m * n; i++)
                                    if (!(Math.Abs(c[i] - ed[i]) <= 1e-12 * (1 + Math.Abs(ed[i])) * k)) Assert.Fail($"double ×{width} {m}×{n}×{k} ta={ta} at {i}: {c[i]} vs {ed[i]}");
                            }
                    }
                }
    }

    /// <summary>
    /// A·Bᵀ with both operands' rows along k (row dot products, nothing packed): every remainder of the 3-row and 4-row
    /// blocks, k around whole vectors (a masked last vector; below 8 vectors the packed path), the row limit of the
    /// path (64 rows and one more, packed), serial and split over cores, on every vector width.
    /// </summary>
    [Fact]
    public unsafe void TransposedBRowDotsOnEveryWidthMatchNaive()
    {
        var shapes = new List<(int M, int N, int K)>();
        foreach (int m in new[] { 1, 2, 3, 4, 5, 7, 32, 33, 64, 65 })
            foreach (int n in new[] { 1, 3, 4, 5, 6, 9 })
                foreach (int k in new[] { 3, 8, 9, 17, 31, 33, 63, 64, 65, 127, 128, 129, 258 })
                    shapes.Add((m, n, k));
        shapes.AddRange([(32, 1030, 130), (64, 257, 129), (65, 257, 129), (34, 1023, 145)]);
        foreach (var (m, n, k) in shapes)
        {
            var (af, bf) = (Random<float>(m * k, m + k), Random<float>(k * n, n * k));
            var (ad, bd) = (Random<double>(m * k, m + k), Random<double>(k * n, n * k));
            var ef = Naive(af, bf, m, n, k, false, true);
            var ed = Naive(ad, bd, m, n, k, false, true);
            fixed (float* a = af) fixed (float* b = bf)
                for (int width = 4; width <= 16; width *= 2)
                {
                    var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    fixed (float* pc = c)
                    {
                        if (width == 4) Gemm<F32x4, Vector128<float>, float>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                        if (width == 8) Gemm<F32x8, Vector256<float>, float>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                        if (width == 16) Gemm<F32x16, Vector512<float>, float>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                    }
                    for (int i = 0; i < m * n; i++)
                        if (!(Math.Abs(c[i] - ef[i]) <= 1e-4 * (1 + Math.Abs(ef[i])) * Math.Sqrt(k))) Assert.Fail($"float ×{width} {m}×{n}×{k} at {i}: {c[i]} vs {ef[i]}");
                }
            fixed (double* a = ad) fixed (double* b = bd)
                for (int width = 2; width <= 8; width *= 2)
                {
                    var c = Enumerable.Repeat(double.NaN, m * n).ToArray();
                    fixed (double* pc = c)
                    {
                        if (width == 2) Gemm<F64x2, Vector128<double>, double>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                        if (width == 4) Gemm<F64x4, Vector256<double>, double>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                        if (width == 8) Gemm<F64x8, Vector512<double>, double>.Multiply(a, k, 1, b, 1, k, pc, m, n, k);
                    }
                    for (int i = 0; i < m * n; i++)
                        if (!(Math.Abs(c[i] - ed[i]) <= 1e-12 * (1 + Math.Abs(ed[i])) * k)) Assert.Fail($"double ×{width} {m}×{n}×{k} at {i}: {c[i]} vs {ed[i]}");
                }
        }
    }

    [Theory]
    [InlineData(3, 3, 3)]
    [InlineData(70, 40, 33)]
    public void NaNAndInfinityPropagateLikeTheSumOfProducts(int m, int n, int k)
    {
        var a = Random<float>(m * k, 7);
        var b = Random<float>(k * n, 8);
        a[1 * k + 2] = float.NaN;          // row 1 of A: every C in row 1 is NaN
        b[0 * n + 1] = float.PositiveInfinity; // column 1 of B: C(i,1) is ±∞ (or NaN in row 1)
        var c = new float[m * n];
        MatMul.Multiply<float>(a, b, c, m, n, k, false, false);
        var expected = Naive(a, b, m, n, k, false, false);
        for (int i = 0; i < m * n; i++)
        {
            if (float.IsNaN(expected[i])) Assert.True(float.IsNaN(c[i]), $"at {i}: {c[i]}, expected NaN");
            else if (float.IsInfinity(expected[i])) Assert.Equal(expected[i], c[i]);
            else Assert.Equal(expected[i], c[i], 1e-3f);
        }
        Assert.True(float.IsNaN(c[1 * n + 5 % n]));
    }

    [Fact]
    public void EmptyInnerDimensionGivesZeros()
    {
        var c = new float[] { 1, 2, 3, 4 };
        MatMul.Multiply<float>([], [], c, 2, 2, 0, false, false);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    private static T[] Random<T>(int size, int seed) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, size).Select(_ => T.CreateChecked(rng.NextDouble() * 2 - 1)).ToArray();
    }

    private static T[] Naive<T>(T[] a, T[] b, int m, int n, int k, bool ta, bool tb) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var c = new T[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += double.CreateChecked(ta ? a[p * m + i] : a[i * k + p]) * double.CreateChecked(tb ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = T.CreateChecked(sum);
            }
        return c;
    }
}
