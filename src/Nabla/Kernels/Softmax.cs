using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Softmax, log-softmax and softmax cross-entropy along one axis. A tensor is viewed as
/// [outer, length, inner]: the reduced axis has <c>length</c> elements, <c>inner</c> apart.
/// Every row is shifted by its maximum first, so no exponent overflows.
/// </summary>
internal static class Softmax
{
    /// <summary>y = exp(x − max) / Σ exp(x − max), or its logarithm x − max − log Σ exp(x − max) when <paramref name="log"/>.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int length, int inner, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (inner == 1 && length < ShortRow && !log) { ShortRows(x, y, outer, length); return; }
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) Row(x.Slice(o * length, length), y.Slice(o * length, length), log);
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                int start = o * length * inner + j;
                T max = T.NegativeInfinity;
                for (int i = 0; i < length; i++) max = T.Max(max, x[start + i * inner]);
                T sum = T.Zero;
                for (int i = 0; i < length; i++) sum += T.Exp(x[start + i * inner] - max);
                T shift = max + T.Log(sum), scale = T.One / sum;
                for (int i = 0; i < length; i++)
                {
                    int at = start + i * inner;
                    y[at] = log ? x[at] - shift : T.Exp(x[at] - max) * scale;
                }
            }
    }

    /// <summary>Rows shorter than this are many (attention's scores over 16 positions): five library calls per row would cost more than the row.</summary>
    private const int ShortRow = 64;

    /// <summary>Softmax of many short rows: each row shifted by its maximum and scaled by its sum in plain loops, the exponentials of all rows in one call.</summary>
    private static void ShortRows<T>(ReadOnlySpan<T> x, Span<T> y, int outer, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = outer * length;
        for (int start = 0; start < size; start += length)
        {
            T max = x[start];
            for (int i = start + 1; i < start + length; i++) max = T.Max(max, x[i]);
            for (int i = start; i < start + length; i++) y[i] = x[i] - max;
        }
        TensorPrimitives.Exp(y[..size], y);
        for (int start = 0; start < size; start += length)
        {
            T sum = T.Zero;
            for (int i = start; i < start + length; i++) sum += y[i];
            T scale = T.One / sum;
            for (int i = start; i < start + length; i++) y[i] *= scale;
        }
    }

    private static void Row<T>(ReadOnlySpan<T> x, Span<T> y, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        T sum = TensorPrimitives.Sum<T>(y);
        if (log) TensorPrimitives.Subtract(x, max + T.Log(sum), y);
        else TensorPrimitives.Multiply(y, T.One / sum, y);
    }

    /// <summary>
    /// loss[i] = log Σ_k exp(logits[i, k]) − logits[i, labels[i]] for logits [n, k] and class ids already checked to be in [0, k).
    /// </summary>
    public static void CrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, Span<T> loss, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scratch = ArrayPool<T>.Shared.Rent(k);
        try
        {
            var e = scratch.AsSpan(0, k);
            for (int i = 0; i < n; i++)
            {
                int label = labels[i];
                var row = logits.Slice(i * k, k);
                T max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, e);
                TensorPrimitives.Exp(e, e);
                loss[i] = max + T.Log(TensorPrimitives.Sum<T>(e)) - row[label];
            }
        }
        finally { ArrayPool<T>.Shared.Return(scratch); }
    }
}
