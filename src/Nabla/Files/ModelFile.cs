using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla;

/// <summary>
/// A whole model in one file: every node of the graph (op type, attributes, name, inputs, dtype, static shape), named
/// signatures, free-form metadata, and the variables at their current values in a session.
/// Layout: the magic "NABLAMDL", a uint32 format version, a uint64 length and that many bytes of UTF-8 JSON (the graph),
/// the raw little-endian tensor data the JSON points into, and a SHA-256 of everything before it. Written to a unique
/// temporary name and renamed; on load the checksum, version and the whole structure (op types known, inputs earlier
/// in the list, tensors within the data, shapes and dtypes as inferred) are checked before anything is returned.
/// </summary>
public static class ModelFile
{
    /// <summary>The format version this build writes and the newest it reads.</summary>
    public const int Version = 1;

    private static ReadOnlySpan<byte> Magic => "NABLAMDL"u8;
    private const int HashSize = 32;
    private const int PreambleSize = 8 + 4 + 8;

    /// <summary>
    /// Saves <paramref name="session"/>'s graph with the variables at their values in that session, the
    /// <paramref name="signatures"/> (whose nodes must belong to the graph) and optional <paramref name="metadata"/>.
    /// </summary>
    public static void Save(string path, Session session, IReadOnlyDictionary<string, Signature> signatures, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(signatures);
        var bytes = ToBytes(session, signatures, metadata ?? new Dictionary<string, string>());
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>Loads a model file into a fresh graph and a session holding its variables.</summary>
    public static LoadedModel Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException($"Model file '{path}' does not exist.");
        return FromBytes(File.ReadAllBytes(path), path);
    }

    private static byte[] ToBytes(Session session, IReadOnlyDictionary<string, Signature> signatures, IReadOnlyDictionary<string, string> metadata)
    {
        var graph = session.Graph;
        var data = new MemoryStream();
        var tensors = new JsonArray();
        int AddTensor(Tensor t)
        {
            var bytes = ElementTypes.Encode(t);
            tensors.Add(new JsonObject
            {
                ["dtype"] = AttributeJson.DTypeName(t.DType),
                ["shape"] = AttributeJson.Ints(t.Shape.Dims),
                ["offset"] = data.Length,
                ["length"] = bytes.Length,
            });
            data.Write(bytes);
            return tensors.Count - 1;
        }

        // A control-flow body is written as a graph attribute of its op, with the same node list (and no variables).
        JsonArray Nodes(Graph g)
        {
            var nodes = new JsonArray();
            foreach (var node in g.Nodes)
            {
                var (op, inputs) = node.Op.SavedForm(node) ?? (node.Op, [.. node.Inputs]);
                if (op.UnsavableReason is { } reason)
                    throw new ModelFileUnsavableOpException(
                        $"Node '{node.Name}' ({node.OpType}) cannot be saved: {reason}. Save a graph built without it (e.g. the inference graph), or save the variables with Checkpoint.Save.",
                        node.Name, node.OpType);
                var attributes = op == node.Op ? OpAttributes.Of(node) : OpAttributes.Of(op);
                if (node.Op is VariableOp) attributes.Set("value", session.GetVariable(node));  // the trained value, not the initial one
                nodes.Add(new JsonObject
                {
                    ["name"] = node.Name,
                    ["op"] = op.Type,
                    ["inputs"] = AttributeJson.Ints(inputs.Select(i => i.Id)),
                    ["dtype"] = AttributeJson.DTypeName(node.DType),
                    ["shape"] = AttributeJson.ShapeJson(node.Shape),
                    ["attributes"] = AttributeJson.Write(attributes, AddTensor, body => new JsonObject { ["nodes"] = Nodes(body) }),
                });
            }
            return nodes;
        }
        var nodes = Nodes(graph);

        var sigs = new JsonObject();
        foreach (var (name, signature) in signatures)
        {
            JsonObject Names(IReadOnlyDictionary<string, Node> map) => new(map.Select(kv =>
            {
                if (kv.Value.Graph != graph)
                    throw new ModelFileException($"Signature '{name}': node '{kv.Value.Name}' ('{kv.Key}') belongs to another graph than the session's.");
                return KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.Name);
            }));
            sigs[name] = new JsonObject { ["inputs"] = Names(signature.Inputs), ["outputs"] = Names(signature.Outputs) };
        }

        var root = new JsonObject
        {
            ["nodes"] = nodes,
            ["signatures"] = sigs,
            ["metadata"] = new JsonObject(metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["tensors"] = tensors,
        };
        var json = Encoding.UTF8.GetBytes(root.ToJsonString());
        using var file = new MemoryStream();
        file.Write(Magic);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(number, Version);
        file.Write(number[..4]);
        BinaryPrimitives.WriteUInt64LittleEndian(number, (ulong)json.Length);
        file.Write(number);
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
        file.Write(SHA256.HashData(file.GetBuffer().AsSpan(0, (int)file.Length)));
        return file.ToArray();
    }

    /// <summary>Parses and validates model-file bytes; <paramref name="source"/> names the file in errors.</summary>
    public static LoadedModel FromBytes(byte[] bytes, string source)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFileCorruptException($"'{source}' is not a Nabla model file: it does not start with the magic bytes 'NABLAMDL'.");
        if (bytes.Length < PreambleSize + HashSize)
            throw new ModelFileCorruptException($"Model file '{source}' is truncated: it has {bytes.Length} bytes, fewer than the {PreambleSize + HashSize} of an empty model.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version > Version)
            throw new ModelFileVersionException($"Model file '{source}' has format version {version}; this build reads up to version {Version}. Update Nabla to load it.");
        if (version == 0) throw new ModelFileCorruptException($"Model file '{source}' has format version 0; the file is corrupt.");
        int end = bytes.Length - HashSize;
        if (!SHA256.HashData(bytes.AsSpan(0, end)).AsSpan().SequenceEqual(bytes.AsSpan(end)))
            throw new ModelFileCorruptException($"Model file '{source}' is corrupt or truncated: its SHA-256 checksum does not match its content ({bytes.Length} bytes).");
        ulong jsonLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        if (jsonLength > (ulong)(end - PreambleSize))
            throw new ModelFileCorruptException($"Model file '{source}': the graph length {jsonLength} at offset 12 exceeds the file; the file is corrupt.");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(bytes.AsSpan(PreambleSize, (int)jsonLength)) as JsonObject
                ?? throw new ModelFileCorruptException($"Model file '{source}': the graph is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ModelFileCorruptException($"Model file '{source}': the graph (offset {PreambleSize}) is not valid JSON: {e.Message}");
        }
        var data = new ReadOnlyMemory<byte>(bytes, PreambleSize + (int)jsonLength, end - PreambleSize - (int)jsonLength);
        return new ModelGraphReader(source, root, data).Build();
    }
}
