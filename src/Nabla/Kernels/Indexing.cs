using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>Ids read from integer or floating-point elements, one-hot encoding, and row gather/scatter by id.</summary>
internal static class Indexing
{
    /// <summary>ids[i] = x[i] when it is an integer in [0, count), else -1 (a float that is not a whole number, NaN, out of range).</summary>
    public static void ToIds<T>(ReadOnlySpan<T> x, Span<int> ids, int count) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            int id = int.CreateSaturating(x[i]);
            ids[i] = id >= 0 && id < count && T.CreateTruncating(id) == x[i] ? id : -1;
        }
    }

    /// <summary>y[i, ids[i]] = 1, every other element 0; an id of -1 gives a zero row.</summary>
    public static void OneHot<T>(ReadOnlySpan<int> ids, Span<T> y, int depth) where T : unmanaged, INumber<T>
    {
        y.Clear();
        for (int i = 0; i < ids.Length; i++)
            if (ids[i] >= 0) y[i * depth + ids[i]] = T.One;
    }

    /// <summary>y[i, :] = table[ids[i], :] for a table of rows of <paramref name="width"/> elements (ids already checked).</summary>
    public static void Gather<T>(ReadOnlySpan<T> table, int width, ReadOnlySpan<int> ids, Span<T> y)
    {
        for (int i = 0; i < ids.Length; i++)
            table.Slice(ids[i] * width, width).CopyTo(y.Slice(i * width, width));
    }

    /// <summary>table = 0, then table[ids[i], :] += updates[i, :] (repeated ids accumulate; ids already checked).</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> updates, ReadOnlySpan<int> ids, Span<T> table, int width)
        where T : unmanaged, INumber<T>
    {
        table.Clear();
        for (int i = 0; i < ids.Length; i++)
        {
            var row = table.Slice(ids[i] * width, width);
            TensorPrimitives.Add(row, updates.Slice(i * width, width), row);
        }
    }
}
