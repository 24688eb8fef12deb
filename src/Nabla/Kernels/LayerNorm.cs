using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Layer normalization of each row of width n (any n ≥ 1): y = (x − μ)·r with μ the row mean, σ² the population
/// variance and r = 1/√(σ² + ε); and its adjoint dx = r·(g − mean(g) − y·mean(g·y)) for an output gradient g.
/// </summary>
internal static class LayerNorm
{
    /// <summary>y = (x − μ)/√(σ² + ε) per row.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int width, T epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o + width <= x.Length && width > 0; o += width)
        {
            var row = x.Slice(o, width);
            var (mean, r) = Statistics(row, epsilon);
            var outRow = y.Slice(o, width);
            TensorPrimitives.Subtract(row, mean, outRow);
            TensorPrimitives.Multiply(outRow, r, outRow);
        }
    }

    /// <summary>dx = r·(g − mean(g) − y·mean(g·y)) per row, with y recomputed from x; whole vectors, then the rest of the row.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx, int width, T epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T n = T.CreateChecked(width);
        int lanes = Vector<T>.Count, whole = Vector.IsHardwareAccelerated ? width / lanes * lanes : 0;
        for (int o = 0; o + width <= x.Length && width > 0; o += width)
        {
            var row = x.Slice(o, width);
            var gRow = g.Slice(o, width);
            var (mean, r) = Statistics(row, epsilon);
            var vMean = new Vector<T>(mean);
            Vector<T> accG = Vector<T>.Zero, accGd = Vector<T>.Zero;
            for (int i = 0; i < whole; i += lanes)
            {
                var gi = new Vector<T>(gRow[i..]);
                accG += gi;
                accGd += gi * (new Vector<T>(row[i..]) - vMean);
            }
            T sumG = Vector.Sum(accG), sumGd = Vector.Sum(accGd);
            for (int i = whole; i < width; i++)
            {
                sumG += gRow[i];
                sumGd += gRow[i] * (row[i] - mean);
            }
            T meanG = sumG / n, meanGy = sumGd * r / n, rr = r * r * meanGy;
            var outRow = dx.Slice(o, width);
            // r·(g − mean(g) − (x − μ)·r·mean(g·y))
            var vR = new Vector<T>(r);
            var vMeanG = new Vector<T>(meanG);
            var vRr = new Vector<T>(rr);
            for (int i = 0; i < whole; i += lanes)
                (vR * (new Vector<T>(gRow[i..]) - vMeanG) - (new Vector<T>(row[i..]) - vMean) * vRr).CopyTo(outRow[i..]);
            for (int i = whole; i < width; i++)
                outRow[i] = r * (gRow[i] - meanG) - (row[i] - mean) * rr;
        }
    }

    /// <summary>The row's mean and 1/√(σ² + ε), from two passes (the second over x − μ, which keeps σ² accurate).</summary>
    private static (T Mean, T R) Statistics<T>(ReadOnlySpan<T> row, T epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T n = T.CreateChecked(row.Length);
        T mean = TensorPrimitives.Sum(row) / n;
        int lanes = Vector<T>.Count, whole = Vector.IsHardwareAccelerated ? row.Length / lanes * lanes : 0;
        var vMean = new Vector<T>(mean);
        var acc = Vector<T>.Zero;
        for (int i = 0; i < whole; i += lanes)
        {
            var d = new Vector<T>(row[i..]) - vMean;
            acc += d * d;
        }
        T ss = Vector.Sum(acc);
        for (int i = whole; i < row.Length; i++)
        {
            T d = row[i] - mean;
            ss += d * d;
        }
        return (mean, T.One / T.Sqrt(ss / n + epsilon));
    }
}
