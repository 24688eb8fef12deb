using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class VectorWidthTests
{
    /// <summary>Σ x·y with the picked vector ops (whole vectors only), and the width they have.</summary>
    private unsafe struct DotKernel(void* x, void* y, int length) : IWidthKernel
    {
        public double Sum;
        public int VectorBytes;

        public void Run<TOps, TV, T>() where TOps : IVectorOps<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
        {
            VectorBytes = TOps.Lanes * sizeof(T);
            var acc = TOps.Zero;
            for (int i = 0; i + TOps.Lanes <= length; i += TOps.Lanes)
                acc = TOps.Fma(TOps.Load((T*)x + i), TOps.Load((T*)y + i), acc);
            var lanes = new T[TOps.Lanes];
            fixed (T* p = lanes) TOps.Store(acc, p);
            Sum = 0;
            foreach (var v in lanes) Sum += double.CreateChecked(v);
        }
    }

    private static int WidestAcceleratedBytes() =>
        Vector512.IsHardwareAccelerated ? 64 : Vector256.IsHardwareAccelerated ? 32 : 16;

    [Fact]
    public unsafe void PicksTheWidestAcceleratedWidthAndComputesWithIt()
    {
        const int n = 64;
        var xf = new float[n]; var yf = new float[n];
        var xd = new double[n]; var yd = new double[n];
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            xf[i] = i - 20; yf[i] = 0.5f * (i % 7);
            xd[i] = xf[i]; yd[i] = yf[i];
            expected += xd[i] * yd[i];
        }
        fixed (float* px = xf, py = yf)
        {
            var k = new DotKernel(px, py, n);
            VectorWidth.Run<float, DotKernel>(ref k);
            Assert.Equal(WidestAcceleratedBytes(), k.VectorBytes);
            Assert.Equal(expected, k.Sum);
        }
        fixed (double* px = xd, py = yd)
        {
            var k = new DotKernel(px, py, n);
            VectorWidth.Run<double, DotKernel>(ref k);
            Assert.Equal(WidestAcceleratedBytes(), k.VectorBytes);
            Assert.Equal(expected, k.Sum);
        }
        Assert.Equal(WidestAcceleratedBytes() / 4, VectorWidth.Lanes<float>());
        Assert.Equal(WidestAcceleratedBytes() / 8, VectorWidth.Lanes<double>());
    }
}
