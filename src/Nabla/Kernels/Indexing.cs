using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>One-hot encoding and row gather/scatter by integer ids stored as floats.</summary>
internal static class Indexing
{
    /// <summary>y[i, ids[i]] = 1, every other element 0; ids that are not integers in [0, depth) give a zero row.</summary>
    public static void OneHot<T>(ReadOnlySpan<T> ids, Span<T> y, int depth) where T : unmanaged, IFloatingPointIeee754<T>
    {
        y.Clear();
        for (int i = 0; i < ids.Length; i++)
        {
            int id = int.CreateSaturating(ids[i]);
            if (id >= 0 && id < depth && T.CreateTruncating(id) == ids[i]) y[i * depth + id] = T.One;
        }
    }

    /// <summary>y[i, :] = table[ids[i], :] for a table of <paramref name="rows"/> rows of <paramref name="width"/> elements.</summary>
    public static void Gather<T>(ReadOnlySpan<T> table, int rows, int width, ReadOnlySpan<T> ids, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < ids.Length; i++)
        {
            int id = Softmax.ClassId(ids[i], rows, i, "Gather", "index");
            table.Slice(id * width, width).CopyTo(y.Slice(i * width, width));
        }
    }

    /// <summary>table = 0, then table[ids[i], :] += updates[i, :] (repeated ids accumulate).</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> updates, ReadOnlySpan<T> ids, Span<T> table, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        table.Clear();
        for (int i = 0; i < ids.Length; i++)
        {
            int id = Softmax.ClassId(ids[i], rows, i, "ScatterAdd", "index");
            var row = table.Slice(id * width, width);
            TensorPrimitives.Add(row, updates.Slice(i * width, width), row);
        }
    }
}
