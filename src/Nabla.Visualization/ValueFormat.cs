using System.Globalization;

namespace Nabla.Visualization;

/// <summary>Short text for numbers and tensors in labels: a scalar as "6", a tensor as its shape plus a few values.</summary>
internal static class ValueFormat
{
    /// <summary>Six significant digits, invariant culture: 6, 0.841471, 1e-07.</summary>
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>
    /// "6" for a scalar or one element; otherwise the shape and the first <paramref name="maxValues"/> elements to
    /// four significant digits, "[2, 3]: 1, 2, 3, …" (without the shape when <paramref name="withShape"/> is false).
    /// </summary>
    public static string Tensor(Tensor t, int maxValues, bool withShape = true)
    {
        if (t.Size == 1) return Number(t.GetFlat(0));
        var values = Enumerable.Range(0, Math.Min(t.Size, maxValues)).Select(i => t.GetFlat(i).ToString("G4", CultureInfo.InvariantCulture));
        string list = string.Join(", ", values) + (t.Size > maxValues ? ", …" : "");
        return withShape ? $"{t.Shape}: {list}" : list;
    }
}
