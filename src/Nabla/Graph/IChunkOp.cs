namespace Nabla;

/// <summary>
/// An elementwise op that can run on any aligned slice of its operands, so the session can fuse a chain of
/// them into one pass over memory. A span of length 1 stands for a scalar broadcast to the slice.
/// An op that implements it has <see cref="Op.FusionRole"/> <see cref="FusionRole.Elementwise"/>.
/// </summary>
public interface IChunkOp
{
    /// <summary>z = op(x) or op(x, y) over z.Length elements; y is empty for unary ops.</summary>
    void ApplyChunk(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z);

    /// <inheritdoc cref="ApplyChunk(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>
    void ApplyChunk(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z);
}
