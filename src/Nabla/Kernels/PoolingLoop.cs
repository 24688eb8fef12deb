using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Which pooling kernel a <see cref="PoolingLoop{T}"/> runs.</summary>
internal enum PoolingPass
{
    /// <summary><see cref="Pooling.Max"/>: operand x, result y.</summary>
    Max,
    /// <summary><see cref="Pooling.MaxGrad"/>: operands x and dy, result dx.</summary>
    MaxGrad,
}

/// <summary>
/// A max-pooling kernel split over <see cref="WorkerPool"/> by fixed ranges of planes when the input is large;
/// planes are independent, so the result does not depend on the split.
/// </summary>
internal sealed class PoolingLoop<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this many input elements a call stays on the calling thread.</summary>
    private const int ParallelElements = 1 << 15;

    [ThreadStatic] private static PoolingLoop<T>? t_loop;

    private PoolingPass _pass;
    private ReadOnlyMemory<T> _x, _dy;
    private Memory<T> _result;
    private Pool2DGeometry _g;
    private int _parts;

    /// <summary>Runs <paramref name="pass"/> on x (and dy for the gradient) into <paramref name="result"/>.</summary>
    public static void Run(PoolingPass pass, ReadOnlyMemory<T> x, ReadOnlyMemory<T> dy, Memory<T> result, Pool2DGeometry g)
    {
        long elements = (long)g.Planes * g.H * g.W;
        if (WorkerPool.Parallelism == 1 || elements < ParallelElements || g.Planes < 2)
        {
            Compute(pass, x.Span, dy.Span, result.Span, g);
            return;
        }
        var loop = t_loop ??= new PoolingLoop<T>();
        (loop._pass, loop._x, loop._dy, loop._result, loop._g) = (pass, x, dy, result, g);
        loop._parts = Math.Min(g.Planes, 4 * WorkerPool.Parallelism);
        try { WorkerPool.For(loop._parts, loop); }
        finally { (loop._x, loop._dy, loop._result) = (default, default, default); }
    }

    public void Run(int part)
    {
        var g = _g;
        int first = (int)((long)part * g.Planes / _parts), end = (int)((long)(part + 1) * g.Planes / _parts);
        int plane = g.H * g.W, outPlane = g.OH * g.OW, count = end - first;
        var x = _x.Span.Slice(first * plane, count * plane);
        if (_pass == PoolingPass.Max) Compute(_pass, x, default, _result.Span.Slice(first * outPlane, count * outPlane), g with { Planes = count });
        else Compute(_pass, x, _dy.Span.Slice(first * outPlane, count * outPlane), _result.Span.Slice(first * plane, count * plane), g with { Planes = count });
    }

    private static void Compute(PoolingPass pass, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> result, Pool2DGeometry g)
    {
        if (pass == PoolingPass.Max) Pooling.Max(x, result, g);
        else Pooling.MaxGrad(x, dy, result, g);
    }
}
