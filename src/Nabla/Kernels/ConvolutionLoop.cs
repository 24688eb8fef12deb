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
/// One convolution call split into fixed ranges of images (parts), each computed a few images at a time (or image
/// by image by <see cref="DirectConvolution"/> where it fits) with per-thread scratch. Part k covers images [k·N/parts, (k+1)·N/parts); for the filter gradient part k writes its own partial
/// sum, and the partials are added in part order afterwards.
/// </summary>
internal sealed class ConvolutionLoop<T> : IParallelBody where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic] private static ConvolutionLoop<T>? t_loop;
    [ThreadStatic] private static AlignedScratch<T>? t_col;
    [ThreadStatic] private static AlignedScratch<T>? t_rows;

    private ConvolutionPass _pass;
    private ReadOnlyMemory<T> _a, _b;
    private Memory<T> _result;
    private Conv2DGeometry _g;
    private int _parts;
    private T[] _partials = [];
    private T[] _filters = [];
    private bool _transposed, _viaPartials, _direct;

    /// <summary>Computes <paramref name="pass"/> of operands a and b into <paramref name="result"/>, in <paramref name="parts"/> ranges.</summary>
    public static void Run(ConvolutionPass pass, ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, Memory<T> result, Conv2DGeometry g, int parts)
    {
        var loop = t_loop ??= new ConvolutionLoop<T>();
        loop._pass = pass;
        (loop._a, loop._b, loop._result, loop._g, loop._parts) = (a, b, result, g, parts);
        int size = g.O * g.Patch;
        loop._direct = pass switch
        {
            ConvolutionPass.Forward => DirectConvolution.Fits<T>(g),
            ConvolutionPass.Filter => DirectConvolution.FitsFilter<T>(g),
            _ => false,
        };
        // The filter gradient by row dot products as dfᵀ [Patch, O] when that shape leaves fewer dot products outside whole register blocks.
        loop._transposed = pass == ConvolutionPass.Filter && !loop._direct && RowDots.EdgeDots(g.Patch, g.O) < RowDots.EdgeDots(g.O, g.Patch);
        loop._viaPartials = pass == ConvolutionPass.Filter && (parts > 1 || loop._transposed);
        if (loop._viaPartials && loop._partials.Length < parts * size) loop._partials = new T[parts * size];
        if (loop._direct && pass == ConvolutionPass.Forward) loop.PackFilters(b.Span);
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

    /// <summary>The filters in <see cref="DirectConvolution"/>'s layout: rows up to a whole number of tiles, the extra ones zero.</summary>
    private void PackFilters(ReadOnlySpan<T> f)
    {
        int size = DirectConvolution.PackedFilterRows(_g.O) * _g.Patch;
        if (_filters.Length < size) _filters = new T[size];
        f[..(_g.O * _g.Patch)].CopyTo(_filters);
        _filters.AsSpan(_g.O * _g.Patch, size - _g.O * _g.Patch).Clear();
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
        int group = GroupSize(g);
        if (_pass == ConvolutionPass.Filter)
        {
            int size = g.O * g.Patch;
            var sum = _viaPartials ? _partials.AsSpan(part * size, size) : _result.Span[..size];
            if (_direct) { DirectFilter(first, end, sum); return; }
            for (int n = first; n < end; n += group) FilterGroup(n, Math.Min(group, end - n), sum, accumulate: n > first);
            return;
        }
        if (_direct) { DirectImages(first, end); return; }
        for (int n = first; n < end; n += group)
        {
            if (_pass == ConvolutionPass.Forward) ForwardGroup(n, Math.Min(group, end - n));
            else InputGroup(n, Math.Min(group, end - n));
        }
    }

    /// <summary>Images unfolded together: as many as keep the unfolded matrix within about 256 KB (L2), at least one.</summary>
    private static unsafe int GroupSize(Conv2DGeometry g) => (int)Math.Max(1, (256L << 10) / ((long)g.Patch * g.Pixels * sizeof(T)));

    private int InputSize => _g.C * _g.H * _g.W;
    private int OutputSize => _g.O * _g.Pixels;

    /// <summary>y[first..end) by <see cref="DirectConvolution"/>, image by image.</summary>
    private unsafe void DirectImages(int first, int end)
    {
        var g = _g;
        T* padded = Scratch(ref t_col, DirectConvolution.PaddedSize<T>(g));
        fixed (T* x = _a.Span)
        fixed (T* f = _filters)
        fixed (T* y = _result.Span)
        {
            for (int n = first; n < end; n++)
                DirectConvolution.Forward(x + n * (nint)InputSize, f, y + n * (nint)OutputSize, g, padded);
        }
    }

    /// <summary>Images padded and summed per call of the direct filter gradient: bounds its scratch, amortizes its lane sums.</summary>
    private const int DirectFilterImages = 16;

    /// <summary>sum = the filter gradient of images [first, end) by <see cref="DirectConvolution"/>, up to 16 images a call.</summary>
    private unsafe void DirectFilter(int first, int end, Span<T> sum)
    {
        var g = _g;
        sum.Clear();
        int chunk = Math.Min(DirectFilterImages, end - first);
        if (chunk == 0) return;
        T* padded = Scratch(ref t_col, chunk * DirectConvolution.PaddedSize<T>(g));
        T* paddedDy = Scratch(ref t_rows, chunk * DirectConvolution.PaddedGradientSize<T>(g));
        fixed (T* x = _a.Span)
        fixed (T* dy = _b.Span)
        fixed (T* s = sum)
        {
            for (int n = first; n < end; n += chunk)
                DirectConvolution.Filter(x + n * (nint)InputSize, dy + n * (nint)OutputSize, s, g, Math.Min(chunk, end - n), padded, paddedDy);
        }
    }

    /// <summary>Images [n, n + count) unfolded side by side: image k's columns start at k·Pixels of each row.</summary>
    private Span<T> Unfold(int n, int count)
    {
        var g = _g;
        int ld = count * g.Pixels;
        var col = ScratchSpan(ref t_col, g.Patch * ld);
        for (int k = 0; k < count; k++)
            Convolution.Im2Col(_a.Span.Slice((n + k) * InputSize, InputSize), col[(k * g.Pixels)..], g, ld);
        return col;
    }

    /// <summary>y[n..n+count) = f · unfolded images; a group's product goes through scratch rows [O, count·Pixels].</summary>
    private void ForwardGroup(int n, int count)
    {
        var g = _g;
        var col = Unfold(n, count);
        var y = _result.Span.Slice(n * OutputSize, count * OutputSize);
        if (count == 1) { MatMul.Multiply<T>(_b.Span, col, y, g.O, g.Pixels, g.Patch, false, false); return; }
        var rows = ScratchSpan(ref t_rows, g.O * count * g.Pixels);
        MatMul.Multiply<T>(_b.Span, col, rows, g.O, count * g.Pixels, g.Patch, false, false);
        Regroup(rows, y, count, toImages: true);
    }

    /// <summary>dx[n..n+count) = col2im(fᵀ · dy rows of the group side by side).</summary>
    private void InputGroup(int n, int count)
    {
        var g = _g;
        int ld = count * g.Pixels;
        var dy = _a.Span.Slice(n * OutputSize, count * OutputSize);
        ReadOnlySpan<T> rows = count == 1 ? dy : Gathered(dy, count);
        var col = ScratchSpan(ref t_col, g.Patch * ld);
        MatMul.Multiply(_b.Span, rows, col, g.Patch, ld, g.O, true, false);
        for (int k = 0; k < count; k++)
        {
            var image = _result.Span.Slice((n + k) * InputSize, InputSize);
            image.Clear();
            Convolution.Col2ImAdd<T>(col[(k * g.Pixels)..], image, g, ld);
        }
    }

    /// <summary>sum += dy rows · unfolded imagesᵀ over the group, or its transpose (sum cleared first for a part's first group).</summary>
    private void FilterGroup(int n, int count, Span<T> sum, bool accumulate)
    {
        var g = _g;
        var col = Unfold(n, count);
        if (!accumulate) sum.Clear();
        var dy = _b.Span.Slice(n * OutputSize, count * OutputSize);
        ReadOnlySpan<T> rows = count == 1 ? dy : Gathered(dy, count);
        int k = count * g.Pixels;
        if (_transposed) RowDots.Accumulate<T>(col, rows, sum, g.Patch, g.O, k);
        else RowDots.Accumulate<T>(rows, col, sum, g.O, g.Patch, k);
    }

    /// <summary>The group's dy [count, O, Pixels] as rows [O, count·Pixels], in scratch.</summary>
    private Span<T> Gathered(ReadOnlySpan<T> dy, int count)
    {
        var rows = ScratchSpan(ref t_rows, _g.O * count * _g.Pixels);
        Regroup(dy, rows, count, toImages: false);
        return rows;
    }

    /// <summary>Moves Pixels-long runs between rows [O, count·Pixels] and images [count, O, Pixels], either way.</summary>
    private void Regroup(ReadOnlySpan<T> from, Span<T> to, int count, bool toImages)
    {
        int o = _g.O, pixels = _g.Pixels;
        for (int k = 0; k < count; k++)
            for (int c = 0; c < o; c++)
            {
                int row = (c * count + k) * pixels, image = (k * o + c) * pixels;
                from.Slice(toImages ? row : image, pixels).CopyTo(to.Slice(toImages ? image : row, pixels));
            }
    }

    /// <summary>One of this thread's 64-byte aligned buffers (the kernels stream them), at least <paramref name="size"/> long.</summary>
    private static unsafe T* Scratch(ref AlignedScratch<T>? slot, int size) => (slot ??= new AlignedScratch<T>()).Get(size);

    /// <summary><see cref="Scratch"/> as a span of exactly <paramref name="size"/> elements.</summary>
    private static unsafe Span<T> ScratchSpan(ref AlignedScratch<T>? slot, int size) => new(Scratch(ref slot, size), size);
}
