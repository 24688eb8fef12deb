using System.Globalization;

namespace Nabla.Visualization;

/// <summary>Short text for numbers and tensors in labels: a scalar as "6", a tensor as its shape plus a few values.</summary>
internal static class ValueFormat
{
    /// <summary>How every number of grad, explain and the pictures is written: <see cref="Format"/>, invariant culture: 6, 0.841471, 1E-07.</summary>
    public static string Number(double value) => value.ToString(Format, CultureInfo.InvariantCulture);

    public const string Format = GraphRenderer.NumberFormat;

    /// <summary>
    /// "6" for a scalar or one element; otherwise the shape and the first <paramref name="maxValues"/> elements as
    /// <see cref="Number"/> writes them, "[2, 3]: 1, 2, 3, …" (without the shape when <paramref name="withShape"/> is false).
    /// </summary>
    public static string Tensor(Tensor t, int maxValues, bool withShape = true)
    {
        if (t.Size == 1) return Number(t.GetFlat(0));
        var values = Enumerable.Range(0, Math.Min(t.Size, maxValues)).Select(i => Number(t.GetFlat(i)));
        string list = string.Join(", ", values) + (t.Size > maxValues ? ", …" : "");
        return withShape ? $"{t.Shape}: {list}" : list;
    }
}
