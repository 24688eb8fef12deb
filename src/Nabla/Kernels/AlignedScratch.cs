using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// A growable scratch buffer on the pinned heap whose start is 64-byte aligned, so that a kernel's full-width vector
/// loads and stores never straddle two cache lines (a 64-byte vector at an unaligned address always does).
/// </summary>
internal sealed unsafe class AlignedScratch<T> where T : unmanaged
{
    private const int Alignment = 64;
    private T[] _array = [];
    private T* _start;

    /// <summary>At least <paramref name="size"/> elements at a 64-byte aligned address, valid until a larger request.</summary>
    public T* Get(int size)
    {
        int slack = Alignment / sizeof(T);
        if (_array.Length < size + slack)
        {
            _array = GC.AllocateUninitializedArray<T>(size + slack, pinned: true);
            nint at = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            _start = (T*)((at + Alignment - 1) & ~(nint)(Alignment - 1));
        }
        return _start;
    }
}
