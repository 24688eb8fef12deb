namespace Nabla.Kernels;

/// <summary>
/// Walks an n-dimensional output as contiguous rows of its innermost (coalesced) dimension, with the
/// matching offset of up to two operands whose strides may be 0 (broadcast or reduced axes).
/// </summary>
internal ref struct StridedRows
{
    public const int MaxRank = 8;
    private Span<int> _dims, _a, _b, _idx;
    private readonly int _rank;
    private int _rowsLeft;

    /// <summary>Length of each row.</summary>
    public readonly int Inner;
    /// <summary>Strides of operand a and b along the row (0 or the element stride).</summary>
    public readonly int InnerA, InnerB;
    public int OffsetA, OffsetB, OffsetOut;


    public StridedRows(Span<int> dims, Span<int> a, Span<int> b, Span<int> scratch)
    {
        // Coalesce: axis k merges into k+1 when every operand steps over it as one contiguous run.
        int rank = 0;
        for (int k = 0; k < dims.Length; k++)
        {
            if (dims[k] == 1) continue;
            if (rank > 0 && a[rank - 1] == a[k] * dims[k] && b[rank - 1] == b[k] * dims[k])
            {
                dims[rank - 1] *= dims[k]; a[rank - 1] = a[k]; b[rank - 1] = b[k];
                continue;
            }
            dims[rank] = dims[k]; a[rank] = a[k]; b[rank] = b[k]; rank++;
        }
        if (rank == 0) { dims[0] = 1; a[0] = 0; b[0] = 0; rank = 1; }
        _rank = rank - 1;
        _dims = dims; _a = a; _b = b; _idx = scratch[.._rank];
        _idx.Clear();
        Inner = dims[rank - 1]; InnerA = a[rank - 1]; InnerB = b[rank - 1];
        int rows = 1;
        for (int k = 0; k < _rank; k++) rows *= dims[k];
        _rowsLeft = rows;
        OffsetA = OffsetB = 0; OffsetOut = -Inner;
    }

    /// <summary>Advances to the next row; false when all rows are done.</summary>
    public bool Next()
    {
        if (_rowsLeft-- <= 0) return false;
        if (OffsetOut < 0) { OffsetOut = 0; return true; }
        OffsetOut += Inner;
        for (int k = _rank - 1; k >= 0; k--)
        {
            OffsetA += _a[k]; OffsetB += _b[k];
            if (++_idx[k] < _dims[k]) return true;
            OffsetA -= _a[k] * _dims[k]; OffsetB -= _b[k] * _dims[k];
            _idx[k] = 0;
        }
        return true;
    }

    /// <summary>Strides of an operand of <paramref name="shape"/> broadcast against <paramref name="outShape"/> (right-aligned; 0 where broadcast).</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> outShape, Span<int> strides)
    {
        int offset = outShape.Length - shape.Length, acc = 1;
        for (int i = outShape.Length - 1; i >= 0; i--)
        {
            int j = i - offset;
            int d = j >= 0 ? shape[j] : 1;
            strides[i] = d == 1 && outShape[i] != 1 ? 0 : acc;
            acc *= d;
        }
    }

    public static void ContiguousStrides(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = acc; acc *= shape[i]; }
    }
}
