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
    /// <summary>dst[0..src.Length) = src; the lengths must match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(ReadOnlySpan<T> src, Span<T> dst) where T : unmanaged
    {
        int n = src.Length, lanes = Vector<T>.Count;
        if ((uint)n > (uint)dst.Length) throw new ArgumentException("The destination row is shorter than the source.", nameof(dst));
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
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
        int n = src.Length, lanes = Vector<T>.Count, i = 0;
        if ((uint)n > (uint)dst.Length) throw new ArgumentException("The destination row is shorter than the source.", nameof(dst));
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        for (; i + lanes <= n; i += lanes)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref d, (nuint)i) + Vector.LoadUnsafe(ref s, (nuint)i), ref d, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
    }

    /// <summary>dst[0..count) = 0 for the few elements beside a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero<T>(Span<T> dst) where T : unmanaged
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = default;
    }
}
