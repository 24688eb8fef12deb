using System.Globalization;

namespace Nabla.Visualization;

/// <summary>Short text for numbers and tensors in labels: a scalar as "6", a tensor as its shape plus a few values.</summary>
internal static class ValueFormat
{
    /// <summary>Six significant digits, invariant culture: 6, 0.841471, 1e-07.</summary>
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>"6" for a scalar or one element, "[1, 2, 3]" up to <paramref name="maxValues"/> elements, else "[2, 3]: 1, 2, 3, 4, …".</summary>
    public static string Tensor(Tensor t, int maxValues)
    {
        if (t.Size == 1) return Number(t.GetFlat(0));
        var values = Enumerable.Range(0, Math.Min(t.Size, maxValues)).Select(i => Number(t.GetFlat(i)));
        string list = string.Join(", ", values);
        return t.Size <= maxValues ? $"[{list}]" : $"{t.Shape}: {list}, …";
    }
}
