namespace Nabla;

/// <summary>
/// The dimensions of a tensor, row-major. A dimension of -1 is unknown until the session runs
/// (for example the batch size of a placeholder). <see cref="Unknown"/> is a shape of unknown rank.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    /// <summary>A shape whose rank is not known (a placeholder declared without a shape).</summary>
    public static readonly Shape Unknown = new(unknownRank: true);

    /// <summary>The shape of a scalar (rank 0).</summary>
    public static readonly Shape Scalar = new();

    /// <summary>A shape of these dimensions; −1 marks a dimension known only at run time (e.g. the batch).</summary>
    public Shape(params int[] dims)
    {
        long size = 1;
        foreach (int d in dims)
        {
            if (d < -1)
                throw new NablaException($"Shape [{string.Join(", ", dims)}] has a negative dimension {d}; use -1 for an unknown dimension.");
            if (d >= 0) size = Math.Min(size * d, (long)int.MaxValue + 1);
        }
        if (size > int.MaxValue)
            throw new ShapeMismatchException($"Shape [{string.Join(", ", dims)}] has more than {int.MaxValue:N0} elements, more than a tensor can hold; split the data into smaller tensors.");
        _dims = (int[])dims.Clone();
    }

    private Shape(bool unknownRank)
    {
        _dims = [];
        IsUnknownRank = unknownRank;
    }

    /// <summary>True when even the rank is unknown.</summary>
    public bool IsUnknownRank { get; }

    /// <summary>Number of dimensions; -1 when the rank is unknown.</summary>
    public int Rank => IsUnknownRank ? -1 : _dims.Length;

    /// <summary>The size of dimension <paramref name="axis"/> (negative axes count from the end); −1 when unknown.</summary>
    public int this[int axis] => _dims[axis < 0 ? axis + _dims.Length : axis];

    /// <summary>A copy of the dimensions.</summary>
    public int[] Dims => (int[])_dims.Clone();

    internal ReadOnlySpan<int> Span => _dims;

    /// <summary>True when the rank and every dimension are known.</summary>
    public bool IsFullyKnown => !IsUnknownRank && Array.IndexOf(_dims, -1) < 0;

    /// <summary>The number of elements; -1 when not fully known.</summary>
    public int Size
    {
        get
        {
            if (!IsFullyKnown) return -1;
            int n = 1;
            foreach (int d in _dims) n = checked(n * d);
            return n;
        }
    }

    /// <summary>True when this (possibly partial) shape admits the concrete shape <paramref name="other"/>.</summary>
    public bool IsCompatibleWith(Shape other)
    {
        if (IsUnknownRank || other.IsUnknownRank) return true;
        if (Rank != other.Rank) return false;
        for (int i = 0; i < Rank; i++)
            if (_dims[i] != -1 && other._dims[i] != -1 && _dims[i] != other._dims[i]) return false;
        return true;
    }

    /// <summary>Row-major strides in elements.</summary>
    internal int[] Strides()
    {
        var s = new int[_dims.Length];
        int acc = 1;
        for (int i = _dims.Length - 1; i >= 0; i--) { s[i] = acc; acc *= _dims[i]; }
        return s;
    }

    /// <summary>True when both have the same rank (or both an unknown rank) and the same dimensions.</summary>
    public bool Equals(Shape? other) =>
        other is not null && IsUnknownRank == other.IsUnknownRank && _dims.AsSpan().SequenceEqual(other._dims);

    /// <summary>True when <paramref name="obj"/> is an equal <see cref="Shape"/>.</summary>
    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    /// <summary>A hash of the rank and dimensions, consistent with <see cref="Equals(Shape?)"/>.</summary>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(IsUnknownRank);
        foreach (int d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Shape equality (<see cref="Equals(Shape?)"/>), null equal only to null.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    /// <summary>Shape inequality: the negation of ==.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Prints like TensorFlow: [2, 3], [?, 784], [] for a scalar, &lt;unknown&gt; for unknown rank.</summary>
    public override string ToString() =>
        IsUnknownRank ? "<unknown>" : "[" + string.Join(", ", _dims.Select(d => d < 0 ? "?" : d.ToString())) + "]";
}
