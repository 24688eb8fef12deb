using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla;

/// <summary>
/// The safetensors format: a little-endian uint64 header length, a JSON header mapping each tensor name to its
/// dtype code, shape and [begin, end) byte offsets into the data that follows (plus an optional "__metadata__"
/// map of strings), then the little-endian row-major data. Every offset is checked before any tensor is built.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Tensors and string metadata read from a safetensors file, tensors in file order.</summary>
    public sealed record Contents(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

    /// <summary>Reads and validates a safetensors file.</summary>
    public static Contents Read(string path) => Read(AtomicFile.ReadAll(path, "The safetensors file"), path);

    /// <summary>Parses safetensors bytes; <paramref name="source"/> names the file in errors.</summary>
    public static Contents Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8) throw new TensorFileCorruptException($"'{source}' is truncated: it has {bytes.Length} bytes, fewer than the 8 of the header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new TensorFileCorruptException($"'{source}' is truncated or not a safetensors file: its header length {headerLength} exceeds the {bytes.Length - 8} bytes after offset 8.");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.Slice(8, (int)headerLength)) as JsonObject
                ?? throw new TensorFileCorruptException($"'{source}': the safetensors header is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new TensorFileCorruptException($"'{source}': the safetensors header (offset 8, {headerLength} bytes) is not valid JSON: {e.Message}");
        }
        var data = bytes[(8 + (int)headerLength)..];
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var spans = new List<(long Begin, long End, string Name)>();
        foreach (var (name, value) in header)
        {
            if (name == MetadataKey)
            {
                foreach (var (key, v) in value as JsonObject ?? throw Bad(source, name, "the metadata is not an object of strings"))
                    metadata[key] = v?.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Bad(source, name, $"metadata '{key}' is not a string");
                continue;
            }
            var info = value as JsonObject ?? throw Bad(source, name, "its entry is not an object");
            var code = info["dtype"]?.GetValueKind() == JsonValueKind.String ? info["dtype"]!.GetValue<string>() : throw Bad(source, name, "it has no 'dtype'");
            var entry = ElementTypes.All.FirstOrDefault(e => e.SafeTensorsCode == code)
                ?? throw new TensorFileUnsupportedException($"'{source}': tensor '{name}' has the dtype '{code}', which Nabla does not read; save F32 or F64 tensors.");
            var dtype = ElementTypes.Require(entry, $"'{source}' (tensor '{name}')");
            var dims = Integers(info["shape"], source, name, "shape");
            var offsets = Integers(info["data_offsets"], source, name, "data_offsets");
            if (offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > data.Length)
                throw Bad(source, name, $"its data_offsets [{string.Join(", ", offsets)}] do not lie within the {data.Length} data bytes");
            long size = 1;
            foreach (long d in dims) size = checked(size * d);
            if (offsets[1] - offsets[0] != size * entry.Size)
                throw Bad(source, name, $"shape [{string.Join(", ", dims)}] of {code} needs {size * entry.Size} bytes but data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]}");
            spans.Add((offsets[0], offsets[1], name));
            tensors[name] = ElementTypes.Decode(data[(int)offsets[0]..(int)offsets[1]], dtype, dims.Select(d => (int)d).ToArray(), bigEndian: false);
        }
        // The tensors must tile the data exactly: no overlap, no gap, nothing after the last.
        long expected = 0;
        foreach (var (begin, end, name) in spans.OrderBy(s => s.Begin))
        {
            if (begin != expected) throw Bad(source, name, $"its data starts at {begin} but the previous tensor ends at {expected} (overlap or gap)");
            expected = end;
        }
        if (expected != data.Length)
            throw new TensorFileCorruptException($"'{source}' has {data.Length - expected} bytes after its last tensor (offset {8 + (long)headerLength + expected}); the file is corrupt.");
        return new Contents(tensors, metadata);
    }

    /// <summary>Writes tensors (in the given order) and optional metadata to a safetensors file, atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, s => s.Write(ToBytes(tensors, metadata)));

    /// <summary>The safetensors bytes of the tensors and metadata.</summary>
    public static byte[] ToBytes(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header[MetadataKey] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (name == MetadataKey || header.ContainsKey(name))
                throw new TensorFileException($"Tensor name '{name}' is reserved or given twice; safetensors names must be unique.");
            var bytes = ElementTypes.Encode(tensor);
            header[name] = new JsonObject
            {
                ["dtype"] = ElementTypes.Of(tensor.DType).SafeTensorsCode,
                ["shape"] = new JsonArray(tensor.Shape.Dims.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            offset += bytes.Length;
            blobs.Add(bytes);
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;  // keeps the data 8-byte aligned, as the reference writer does
        using var s = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        s.Write(length);
        s.Write(json);
        for (int i = json.Length; i < padded; i++) s.WriteByte((byte)' ');
        foreach (var b in blobs) s.Write(b);
        return s.ToArray();
    }

    private static long[] Integers(JsonNode? node, string source, string name, string field)
    {
        if (node is not JsonArray array) throw Bad(source, name, $"it has no '{field}' array");
        return array.Select(v => v?.GetValueKind() == JsonValueKind.Number && v.GetValue<JsonElement>().TryGetInt64(out long x) && x >= 0 && x <= int.MaxValue
            ? x : throw Bad(source, name, $"'{field}' holds '{v?.ToJsonString()}', not a non-negative integer")).ToArray();
    }

    private static TensorFileCorruptException Bad(string source, string name, string what) =>
        new($"'{source}': tensor '{name}' is malformed: {what}; the file is corrupt.");
}
