using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>A kernel body written once over a vector type; <see cref="VectorWidth"/> picks the widest the hardware runs.</summary>
internal interface IWidthKernel
{
    void Run<TOps, TV, T>() where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The one place that maps (element type, hardware) to the <see cref="IVectorOps{TV, T}"/> a kernel compiles to:
/// Vector512 where accelerated, else Vector256, else Vector128. The kernel is a struct, so each call is specialized
/// and inlined rather than dispatched through the interface.
/// </summary>
internal static class VectorWidth
{
    /// <summary>Runs <paramref name="kernel"/> for element type <typeparamref name="T"/> at the widest accelerated width.</summary>
    public static void Run<T, TKernel>(ref TKernel kernel) where T : unmanaged where TKernel : struct, IWidthKernel
    {
        if (typeof(T) == typeof(float))
        {
            if (Vector512.IsHardwareAccelerated) kernel.Run<F32x16, Vector512<float>, float>();
            else if (Vector256.IsHardwareAccelerated) kernel.Run<F32x8, Vector256<float>, float>();
            else kernel.Run<F32x4, Vector128<float>, float>();
        }
        else if (typeof(T) == typeof(double))
        {
            if (Vector512.IsHardwareAccelerated) kernel.Run<F64x8, Vector512<double>, double>();
            else if (Vector256.IsHardwareAccelerated) kernel.Run<F64x4, Vector256<double>, double>();
            else kernel.Run<F64x2, Vector128<double>, double>();
        }
        else throw new NotSupportedException($"No vector kernel for element type {typeof(T).Name}.");
    }

    /// <summary>Lanes of <typeparamref name="T"/> in the vector width <see cref="Run"/> picks.</summary>
    public static unsafe int Lanes<T>() where T : unmanaged =>
        (Vector512.IsHardwareAccelerated ? 64 : Vector256.IsHardwareAccelerated ? 32 : 16) / sizeof(T);
}
