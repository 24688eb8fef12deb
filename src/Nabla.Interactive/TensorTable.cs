using System.Globalization;
using System.Net;
using System.Text;
using Nabla.Visualization;

namespace Nabla.Interactive;

/// <summary>
/// A tensor as an HTML table, NumPy's view of a matrix: a caption with shape and dtype, a scalar as one cell, a vector
/// as one row, a matrix row by row; higher ranks show their first matrix. At most maxSide rows and columns are shown,
/// the first and last halves, with "…" for the elided middle; numbers are written as the pictures write them.
/// </summary>
internal static class TensorTable
{
    public static string Html(Tensor t, int maxSide)
    {
        int rows = t.Rank < 2 ? 1 : t.Shape[t.Rank - 2];
        int columns = t.Rank == 0 ? 1 : t.Shape[t.Rank - 1];
        string note = t.Rank > 2 ? $", showing [{string.Join(", ", Enumerable.Repeat("0", t.Rank - 2))}, :, :]" : "";
        var values = t.ToArray<double>();
        var sb = new StringBuilder();
        sb.Append("<table class=\"nabla-tensor\">");
        sb.Append($"<caption>Tensor, shape {Encode(t.Shape.ToString())}, dtype {t.DType.ToString().ToLowerInvariant()}{Encode(note)}</caption>");
        foreach (int? r in Shown(rows, maxSide))
        {
            sb.Append("<tr>");
            foreach (int? c in Shown(columns, maxSide))
                sb.Append(r is null || c is null ? "<td>…</td>" : $"<td>{values[r.Value * columns + c.Value].ToString(GraphRenderer.NumberFormat, CultureInfo.InvariantCulture)}</td>");
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        return sb.ToString();
    }

    /// <summary>The indices 0..count−1 to show, with null standing for the elided middle when count exceeds maxSide.</summary>
    private static IEnumerable<int?> Shown(int count, int maxSide)
    {
        if (count <= maxSide) { for (int i = 0; i < count; i++) yield return i; yield break; }
        int half = maxSide / 2;
        for (int i = 0; i < half; i++) yield return i;
        yield return null;
        for (int i = count - half; i < count; i++) yield return i;
    }

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
