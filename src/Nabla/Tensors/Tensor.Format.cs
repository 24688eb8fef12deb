using System.Globalization;
using System.Text;

namespace Nabla;

public sealed partial class Tensor
{
    private const int EdgeItems = 3, ElideAbove = 1000;

    /// <summary>
    /// The tensor as NumPy and PyTorch print one: its elements, its shape and its dtype, rows of a matrix on lines of
    /// their own with columns aligned (padded to the widest number shown), e.g. <c>tensor([[1, 2],\n        [3, 4]], shape=[2, 2], dtype=float32)</c>;
    /// bools print as <c>true</c>/<c>false</c>. Beyond 1000 elements only 3 items at each edge of each axis are shown, with "..." for the middle.
    /// </summary>
    public override string ToString()
    {
        const string open = "tensor(";
        var sb = new StringBuilder(open);
        bool elide = Size > ElideAbove;
        int width = 0; // columns line up only where there are rows
        if (Rank >= 2) ForEachShown(0, 0, elide, offset => width = Math.Max(width, FormatElement(offset).Length));
        Format(sb, 0, 0, elide, new Layout(open.Length, width, null));
        sb.Append(CultureInfo.InvariantCulture, $", shape={Shape}, dtype={DType.ToString().ToLowerInvariant()})");
        return sb.ToString();
    }

    /// <summary>
    /// The elements alone, on one line: <c>3</c> for a scalar, <c>[[1, 2], [3, 4]]</c> for a matrix; beyond 1000
    /// elements 3 items at each edge of each axis, with "..." for the middle. Each number is written with
    /// <paramref name="numberFormat"/> (a .NET format string such as "G6") when one is given and the dtype is floating point, else in full.
    /// </summary>
    public string FormatValues(string? numberFormat = null)
    {
        var sb = new StringBuilder();
        Format(sb, 0, 0, Size > ElideAbove, new Layout(-1, 0, numberFormat));
        return sb.ToString();
    }

    /// <summary>One element formatted the way ToString prints it.</summary>
    internal static string FormatNumber(double v, DType dtype) => dtype switch
    {
        DType.Float32 => ((float)v).ToString(CultureInfo.InvariantCulture),
        DType.Bool => v != 0 ? "true" : "false",
        _ => v.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Element i formatted the way ToString prints it (int64 exactly, beyond 2^53 too).</summary>
    private string FormatElement(int i) =>
        DType == DType.Int64 ? ((long[])Buffer)[i].ToString(CultureInfo.InvariantCulture) : FormatNumber(GetFlat(i), DType);

    /// <summary>
    /// How elements are laid out: rows after the first start on a new line indented by <see cref="Indent"/> (none when
    /// negative), numbers padded to <see cref="Width"/> and written with <see cref="NumberFormat"/> (in full when null).
    /// </summary>
    private readonly record struct Layout(int Indent, int Width, string? NumberFormat);

    private void Format(StringBuilder sb, int axis, int offset, bool elide, Layout layout)
    {
        if (axis == Rank)
        {
            string element = layout.NumberFormat is not null && DType.IsFloatingPoint()
                ? GetFlat(offset).ToString(layout.NumberFormat, CultureInfo.InvariantCulture)
                : FormatElement(offset);
            sb.Append(element.PadLeft(layout.Width));
            return;
        }
        int n = Shape[axis], stride = Stride(axis);
        // Between sub-arrays (not between numbers), a multi-line layout breaks the line and aligns the next bracket.
        string separator = layout.Indent >= 0 && axis < Rank - 1 ? ",\n" + new string(' ', layout.Indent + axis + 1) : ", ";
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(separator);
            if (elide && n > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append("...");
                i = n - EdgeItems - 1;
                continue;
            }
            Format(sb, axis + 1, offset + i * stride, elide, layout);
        }
        sb.Append(']');
    }

    /// <summary>Calls <paramref name="visit"/> with the flat offset of every element that printing shows.</summary>
    private void ForEachShown(int axis, int offset, bool elide, Action<int> visit)
    {
        if (axis == Rank) { visit(offset); return; }
        int n = Shape[axis], stride = Stride(axis);
        for (int i = 0; i < n; i++)
        {
            if (elide && n > 2 * EdgeItems && i == EdgeItems) i = n - EdgeItems;
            ForEachShown(axis + 1, offset + i * stride, elide, visit);
        }
    }

    private int Stride(int axis)
    {
        int stride = 1;
        for (int i = axis + 1; i < Rank; i++) stride *= Shape[i];
        return stride;
    }
}
