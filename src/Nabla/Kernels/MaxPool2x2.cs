using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Float32 max pooling over 2×2 windows every 2, four windows at a time: a pair of input rows is split into even and
/// odd columns (one shuffle per two vectors), so each lane holds one window. A row of fewer than four windows, or a
/// machine without the shuffles, takes the scalar path in <see cref="Pooling"/>; a row whose length is not a multiple
/// of four ends with a last group that overlaps the one before (windows are independent, so they are computed again).
/// </summary>
internal static class MaxPool2x2
{
    public static bool IsAccelerated => Sse.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>y[j] = max of x0[2j], x0[2j+1], x1[2j], x1[2j+1] for j &lt; <paramref name="ow"/> (≥ 4); NaN if the window holds one.</summary>
    public static void MaxRow(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, Span<float> y, int ow)
    {
        Check(x0, x1, y, ow);
        ref float r0 = ref MemoryMarshal.GetReference(x0), r1 = ref MemoryMarshal.GetReference(x1), ry = ref MemoryMarshal.GetReference(y);
        for (int j = 0; ; j += 4)
        {
            j = Math.Min(j, ow - 4);
            nuint at = (nuint)(2 * j);
            var top = Vector128.Max(Vector128.LoadUnsafe(ref r0, at), Vector128.LoadUnsafe(ref r1, at));
            var bottom = Vector128.Max(Vector128.LoadUnsafe(ref r0, at + 4), Vector128.LoadUnsafe(ref r1, at + 4));
            var (even, odd) = Unzip(top, bottom);
            Vector128.Max(even, odd).StoreUnsafe(ref ry, (nuint)j);
            if (j == ow - 4) return;
        }
    }

    /// <summary>
    /// Writes the 2×2 windows of dx rows d0 and d1: dy[j] at the window's first NaN of x, else at its first largest
    /// element (in the order x0[2j], x0[2j+1], x1[2j], x1[2j+1]), 0 elsewhere.
    /// </summary>
    public static void RouteRow(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> dy, Span<float> d0, Span<float> d1, int ow)
    {
        Check(x0, x1, dy, ow);
        if (d0.Length < 2 * ow || d1.Length < 2 * ow) throw new ArgumentException("max-pool gradient rows shorter than their windows.", nameof(d0));
        ref float r0 = ref MemoryMarshal.GetReference(x0), r1 = ref MemoryMarshal.GetReference(x1), rdy = ref MemoryMarshal.GetReference(dy);
        ref float w0 = ref MemoryMarshal.GetReference(d0), w1 = ref MemoryMarshal.GetReference(d1);
        for (int j = 0; ; j += 4)
        {
            j = Math.Min(j, ow - 4);
            nuint at = (nuint)(2 * j);
            var (a, b) = Unzip(Vector128.LoadUnsafe(ref r0, at), Vector128.LoadUnsafe(ref r0, at + 4));
            var (c, d) = Unzip(Vector128.LoadUnsafe(ref r1, at), Vector128.LoadUnsafe(ref r1, at + 4));
            var max = Vector128.Max(Vector128.Max(a, b), Vector128.Max(c, d));
            var anyNaN = Vector128.IsNaN(a) | Vector128.IsNaN(b) | Vector128.IsNaN(c) | Vector128.IsNaN(d);
            // Candidates: the NaNs when there is one, else the elements equal to the maximum; the first candidate wins.
            var ca = Vector128.IsNaN(a) | Vector128.AndNot(Vector128.Equals(a, max), anyNaN);
            var cb = Vector128.IsNaN(b) | Vector128.AndNot(Vector128.Equals(b, max), anyNaN);
            var cc = Vector128.IsNaN(c) | Vector128.AndNot(Vector128.Equals(c, max), anyNaN);
            var v = Vector128.LoadUnsafe(ref rdy, (nuint)j);
            var da = v & ca;
            var db = Vector128.AndNot(v & cb, ca);
            var dc = Vector128.AndNot(v & cc, ca | cb);
            var dd = Vector128.AndNot(v, ca | cb | cc);
            Store(Zip(da, db), ref w0, at);
            Store(Zip(dc, dd), ref w1, at);
            if (j == ow - 4) return;
        }
    }

    private static void Check(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> perWindow, int ow)
    {
        if (ow < 4 || x0.Length < 2 * ow || x1.Length < 2 * ow || perWindow.Length < ow)
            throw new ArgumentException($"2×2 max pooling of {ow} windows needs at least 4 windows and rows of {2 * ow} inputs.", nameof(ow));
    }

    /// <summary>The even and the odd lanes of the eight values lo, hi.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) Unzip(Vector128<float> lo, Vector128<float> hi)
    {
        if (Sse.IsSupported) return (Sse.Shuffle(lo, hi, 0b10_00_10_00), Sse.Shuffle(lo, hi, 0b11_01_11_01));
        if (AdvSimd.Arm64.IsSupported) return (AdvSimd.Arm64.UnzipEven(lo, hi), AdvSimd.Arm64.UnzipOdd(lo, hi));
        throw new PlatformNotSupportedException();
    }

    /// <summary>even and odd interleaved again: (e0, o0, e1, o1) and (e2, o2, e3, o3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Lo, Vector128<float> Hi) Zip(Vector128<float> even, Vector128<float> odd)
    {
        if (Sse.IsSupported) return (Sse.UnpackLow(even, odd), Sse.UnpackHigh(even, odd));
        if (AdvSimd.Arm64.IsSupported) return (AdvSimd.Arm64.ZipLow(even, odd), AdvSimd.Arm64.ZipHigh(even, odd));
        throw new PlatformNotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store((Vector128<float> Lo, Vector128<float> Hi) pair, ref float row, nuint at)
    {
        pair.Lo.StoreUnsafe(ref row, at);
        pair.Hi.StoreUnsafe(ref row, at + 4);
    }
}
