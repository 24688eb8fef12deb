using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// Copy and add for the short rows of im2col and its adjoint (a few to a few dozen elements), inlined with vector
/// loads and stores: a call to a general memmove or TensorPrimitives costs more than the row itself.
/// </summary>
internal static class ShortRows
{
    /// <summary>Copies n elements from s to d; the caller guarantees both ranges lie inside their arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyUnchecked<T>(ref T s, ref T d, int n) where T : unmanaged
    {
        int lanes = Vector<T>.Count;
        if (n < lanes)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
            return;
        }
        int last = n - lanes;
        for (int i = 0; i < last; i += lanes) Vector.StoreUnsafe(Vector.LoadUnsafe(ref s, (nuint)i), ref d, (nuint)i);
        // The last vector may overlap the previous one: it rewrites the same values.
        Vector.StoreUnsafe(Vector.LoadUnsafe(ref s, (nuint)last), ref d, (nuint)last);
    }

    /// <summary>dst[i] += src[i] for i &lt; src.Length; the lengths must match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(ReadOnlySpan<T> src, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((uint)src.Length > (uint)dst.Length) throw new ArgumentException("The destination row is shorter than the source.", nameof(dst));
        AddUnchecked(ref MemoryMarshal.GetReference(src), ref MemoryMarshal.GetReference(dst), src.Length);
    }

    /// <summary>d[i] += s[i] for i &lt; n; the caller guarantees both ranges lie inside their arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddUnchecked<T>(ref T s, ref T d, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector<T>.Count, i = 0;
        for (; i + lanes <= n; i += lanes)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref d, (nuint)i) + Vector.LoadUnsafe(ref s, (nuint)i), ref d, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
    }
}
