using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>Which of the three convolution products a <see cref="ConvolutionLoop{T}"/> computes.</summary>
internal enum ConvolutionPass
{
    /// <summary>y = conv(x, f); operands (x, f), result y.</summary>
    Forward,
    /// <summary>dx = adjoint in x; operands (dy, f), result dx.</summary>
    Input,
    /// <summary>df = adjoint in f; operands (x, dy), result df.</summary>
    Filter,
}

/// <summary>
/// One convolution call split into fixed ranges of images (parts), each computed image by image with per-thread
/// scratch. Part k covers images [k·N/parts, (k+1)·N/parts); for the filter gradient part k writes its own partial
/// sum, and the partials are added in part order afterwards.
/// </summary>
internal sealed class ConvolutionLoop<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static ConvolutionLoop<T>? t_loop;
    [ThreadStatic] private static AlignedScratch<T>? t_col;

    private ConvolutionPass _pass;
    private ReadOnlyMemory<T> _a, _b;
    private Memory<T> _result;
    private Conv2DGeometry _g;
    private int _parts;
    private T[] _partials = [];
    private bool _transposed, _viaPartials;

    /// <summary>Computes <paramref name="pass"/> of operands a and b into <paramref name="result"/>, in <paramref name="parts"/> ranges.</summary>
    public static void Run(ConvolutionPass pass, ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Memory<T> result, Conv2DGeometry g, int parts)
    {
        var loop = t_loop ??= new ConvolutionLoop<T>();
        loop._pass = pass;
        (loop._a, loop._b, loop._result, loop._g, loop._parts) = (a, b, result, g, parts);
        int size = g.O * g.Patch;
        // The filter gradient as dfᵀ [Patch, O] when that shape leaves fewer dot products outside whole register blocks.
        loop._transposed = pass == ConvolutionPass.Filter && RowDots.EdgeDots(g.Patch, g.O) < RowDots.EdgeDots(g.O, g.Patch);
        loop._viaPartials = pass == ConvolutionPass.Filter && (parts > 1 || loop._transposed);
        if (loop._viaPartials && loop._partials.Length < parts * size) loop._partials = new T[parts * size];
        try
        {
            WorkerPool.For(parts, loop);
            if (loop._viaPartials) loop.SumPartials(result.Span[..size]);
        }
        finally
        {
            // Drop the operands so the loop does not keep tensors alive between calls.
            (loop._a, loop._b, loop._result) = (default, default, default);
        }
    }

    /// <summary>df = the partials added in part order (transposed back from [Patch, O] when computed that way).</summary>
    private void SumPartials(Span<T> df)
    {
        int size = df.Length;
        var total = _partials.AsSpan(0, size);
        for (int k = 1; k < _parts; k++) TensorPrimitives.Add(total, _partials.AsSpan(k * size, size), total);
        if (!_transposed) { total.CopyTo(df); return; }
        int o = _g.O, patch = _g.Patch;
        for (int r = 0; r < patch; r++)
            for (int i = 0; i < o; i++) df[i * patch + r] = total[r * o + i];
    }

    public void Run(int part)
    {
        var g = _g;
        int first = (int)((long)part * g.N / _parts), end = (int)((long)(part + 1) * g.N / _parts);
        if (_pass == ConvolutionPass.Filter)
        {
            int size = g.O * g.Patch;
            var sum = _viaPartials ? _partials.AsSpan(part * size, size) : _result.Span[..size];
            for (int n = first; n < end; n++) FilterImage(n, sum, accumulate: n > first);
            return;
        }
        for (int n = first; n < end; n++)
        {
            if (_pass == ConvolutionPass.Forward) ForwardImage(n);
            else InputImage(n);
        }
    }

    private int InputSize => _g.C * _g.H * _g.W;
    private int OutputSize => _g.O * _g.Pixels;

    /// <summary>y[n] = f · im2col(x[n]).</summary>
    private void ForwardImage(int n)
    {
        var g = _g;
        var col = Scratch(g.Patch * g.Pixels);
        Convolution.Im2Col(_a.Span.Slice(n * InputSize, InputSize), col, g);
        MatMul.Multiply<T>(_b.Span, col, _result.Span.Slice(n * OutputSize, OutputSize), g.O, g.Pixels, g.Patch, false, false);
    }

    /// <summary>dx[n] = col2im(fᵀ · dy[n]).</summary>
    private void InputImage(int n)
    {
        var g = _g;
        var col = Scratch(g.Patch * g.Pixels);
        MatMul.Multiply(_b.Span, _a.Span.Slice(n * OutputSize, OutputSize), col, g.Patch, g.Pixels, g.O, true, false);
        var image = _result.Span.Slice(n * InputSize, InputSize);
        image.Clear();
        Convolution.Col2ImAdd<T>(col, image, g);
    }

    /// <summary>sum += dy[n] · im2col(x[n])ᵀ, or its transpose (sum cleared first for the first image of a part).</summary>
    private void FilterImage(int n, Span<T> sum, bool accumulate)
    {
        var g = _g;
        var col = Scratch(g.Patch * g.Pixels);
        Convolution.Im2Col(_a.Span.Slice(n * InputSize, InputSize), col, g);
        if (!accumulate) sum.Clear();
        var dy = _b.Span.Slice(n * OutputSize, OutputSize);
        if (_transposed) RowDots.Accumulate<T>(col, dy, sum, g.Patch, g.O, g.Pixels);
        else RowDots.Accumulate<T>(dy, col, sum, g.O, g.Patch, g.Pixels);
    }

    /// <summary>This thread's unfolded-image buffer, 64-byte aligned: the GEMM streams it as B.</summary>
    private static unsafe Span<T> Scratch(int size) => new((t_col ??= new AlignedScratch<T>()).Get(size), size);
}
