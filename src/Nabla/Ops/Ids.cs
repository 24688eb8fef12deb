using System.Buffers;

namespace Nabla;

/// <summary>
/// The elements of an ids tensor (int32, int64, or whole numbers stored as floats) as ints in a pooled buffer, each in
/// [0, count) or -1 where it is not. Lets Gather, OneHot and SoftmaxCrossEntropy read ids of any dtype with one kernel.
/// </summary>
internal readonly struct Ids : IDisposable
{
    private readonly int[] _buffer;
    private readonly int _length;

    public Ids(Tensor ids, int count)
    {
        _length = ids.Size;
        _buffer = ArrayPool<int>.Shared.Rent(_length);
        ids.ReadIds(_buffer.AsSpan(0, _length), count);
    }

    public ReadOnlySpan<int> Span => _buffer.AsSpan(0, _length);

    /// <summary>Throws <see cref="InvalidValueException"/> naming the first id that is not an integer in [0, count).</summary>
    public Ids RequireValid(Tensor ids, int count, string op, string what)
    {
        int bad = Span.IndexOf(-1);
        if (bad < 0) return this;
        Dispose();
        throw new InvalidValueException(
            $"{op}: {what} {Tensor.FormatNumber(ids.GetFlat(bad), ids.DType)} at position {bad} is not an integer in [0, {count}). Pass integer ids below {count} (int32, int64, or whole numbers stored as floats).");
    }

    public void Dispose() => ArrayPool<int>.Shared.Return(_buffer);

    /// <summary>True for the dtypes an ids input may have next to values of <paramref name="valueDType"/>: an integer dtype, or the values' own.</summary>
    public static bool Accepts(DType idsDType, DType valueDType) => idsDType.IsInteger() || idsDType == valueDType;

    /// <summary>The error for an ids input of a dtype that <see cref="Accepts"/> refuses.</summary>
    public static DTypeMismatchException WrongDType(Node node, Node ids, DType valueDType) =>
        new($"{node.Op.Type} '{node.Name}': ids '{ids.Name}' are {ids.DType.Name()}; give int32 or int64 ids (or whole numbers as {valueDType.Name()}, the values' dtype).");
}
