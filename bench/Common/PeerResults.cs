using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla.Bench.Common;

/// <summary>
/// bench/torchsharp-results.json: what the TorchSharp runner measured on this machine (date, CPU, versions, threads,
/// and per workload key the median, min and max seconds per step), read by the Nabla runner for its comparison column.
/// </summary>
internal sealed record PeerResults(string Date, string Cpu, string Versions, IReadOnlyDictionary<string, Measurement> Results)
{
    public static string DefaultPath => Path.Combine(BenchMachine.RepositoryRoot(), "bench", "torchsharp-results.json");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The figures in <paramref name="path"/>, or null when there is no such file.</summary>
    /// <exception cref="InvalidDataException">The file is not a results file; the message names it and the field.</exception>
    public static PeerResults? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("not a JSON object");
            var results = new Dictionary<string, Measurement>();
            foreach (var (key, value) in root["results"] as JsonObject ?? throw new InvalidDataException("no \"results\" object"))
                results[key] = new Measurement(Seconds(value, "median_s"), Seconds(value, "min_s"), Seconds(value, "max_s"), (int)(value?["steps"]?.GetValue<double>() ?? 0), 0);
            string versions = $"TorchSharp {root["torchsharp"]}, libtorch {root["torch"]}, {root["threads"]} threads";
            return new PeerResults(root["date"]?.ToString() ?? "?", root["machine"]?["cpu"]?.ToString() ?? "?", versions, results);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a benchmark results file ({e.Message}); delete it or rerun bash bench/torchsharp.sh.", e);
        }
    }

    private static double Seconds(JsonNode? entry, string field) =>
        entry?[field]?.GetValue<double>() ?? throw new InvalidDataException($"an entry has no \"{field}\"");

    /// <summary>
    /// Writes <paramref name="rows"/> into <paramref name="path"/> (to a temporary file, then renamed): rows replace
    /// those with the same key, other keys keep their earlier figures, keys in <paramref name="order"/>'s order.
    /// </summary>
    public static void Merge(string path, string cpu, int cores, string torch, string torchSharp, int threads,
        IReadOnlyList<(string Key, Measurement M)> rows, List<string> order)
    {
        var kept = new Dictionary<string, JsonNode?>();
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["results"] is JsonObject old)
            foreach (var (key, value) in old) kept[key] = value?.DeepClone();
        foreach (var (key, m) in rows)
            kept[key] = new JsonObject { ["median_s"] = m.Median, ["min_s"] = m.Min, ["max_s"] = m.Max, ["steps"] = m.Steps };

        var results = new JsonObject();
        foreach (var key in kept.Keys.OrderBy(k => order.IndexOf(k) is var i && i < 0 ? int.MaxValue : i)) results[key] = kept[key];
        var root = new JsonObject
        {
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject { ["cpu"] = cpu, ["cores"] = cores },
            ["torch"] = torch,
            ["torchsharp"] = torchSharp,
            ["threads"] = threads,
            ["results"] = results,
        };
        var temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(Indented) + "\n");
        File.Move(temp, path, overwrite: true);
    }
}
