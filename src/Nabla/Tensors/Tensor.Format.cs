using System.Globalization;
using System.Text;

namespace Nabla;

public sealed partial class Tensor
{
    private const int EdgeItems = 3, ElideAbove = 1000;

    /// <summary>Scalars print as <c>3</c>, arrays as <c>[[1, 2], [3, 4]]</c>, bools as <c>true</c>/<c>false</c>; large ones show 3 items at each edge with "...".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Format(sb, 0, 0, Size > ElideAbove);
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

    private void Format(StringBuilder sb, int axis, int offset, bool elide)
    {
        if (axis == Rank) { sb.Append(FormatElement(offset)); return; }
        int n = Shape[axis], stride = 1;
        for (int i = axis + 1; i < Rank; i++) stride *= Shape[i];
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(", ");
            if (elide && n > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append("...");
                i = n - EdgeItems - 1;
                continue;
            }
            Format(sb, axis + 1, offset + i * stride, elide);
        }
        sb.Append(']');
    }
}
