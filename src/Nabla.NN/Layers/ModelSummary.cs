using System.Globalization;
using System.Text;

namespace Nabla.NN;

/// <summary>Writes the table of <see cref="Sequential.Summary"/>.</summary>
internal static class ModelSummary
{
    public static string Write(Sequential model)
    {
        string[] header = ["layer", "type", "output shape", "parameters"];
        var rows = model.Layers.Select(l => new[] { l.Name ?? "", l.GetType().Name, l.OutputShape?.ToString() ?? "?", Count(l.ParameterCount) }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        string Row(string[] cells) => string.Join("   ", cells.Select((cell, c) => c == cells.Length - 1 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();
        string rule = new('─', widths.Sum() + 3 * (widths.Length - 1));

        long total = model.ParameterCount, trainable = model.TrainableParameterCount;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Sequential model, {model.Layers.Count} layers");
        sb.AppendLine(Row(header));
        sb.AppendLine(rule);
        foreach (var row in rows) sb.AppendLine(Row(row));
        sb.AppendLine(rule);
        sb.AppendLine(CultureInfo.InvariantCulture, $"total parameters: {Count(total)} ({Count(trainable)} trainable, {Count(total - trainable)} not trainable)");
        if (model.Layers[^1].OutputShape is null) sb.AppendLine("not built yet: output shapes and parameters are known once the model is applied to an input");
        return sb.ToString();
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
