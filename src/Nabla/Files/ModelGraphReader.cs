using System.Text.Json.Nodes;

namespace Nabla;

/// <summary>
/// Turns the JSON and data of a model file into a graph: first checks every tensor entry, node and signature
/// (nothing is built while anything is wrong), then rebuilds the nodes in order and checks that each one gets
/// back its saved name, dtype and shape.
/// </summary>
internal sealed class ModelGraphReader(string source, JsonObject root, ReadOnlyMemory<byte> data)
{
    private sealed record NodeEntry(string Name, string Op, int[] Inputs, DType DType, Shape Shape, JsonObject? Attributes);

    private sealed record TensorEntry(DType DType, int[] Dims, int Offset, int Length);

    private ModelFileCorruptException Corrupt(string what) => new($"Model file '{source}': {what}; the file is corrupt.");

    public LoadedModel Build()
    {
        var tensors = ReadTensorTable();
        var nodes = ReadNodes();
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var signatureNames = ReadSignatures(names);
        var metadata = (root["metadata"] as JsonObject ?? [])
            .ToDictionary(m => m.Key, m => m.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);

        var graph = new Graph();
        var built = new Node[nodes.Count];
        var decoded = new Tensor?[tensors.Length];
        Tensor TensorAt(int index)
        {
            if ((uint)index >= (uint)tensors.Length) throw Corrupt($"an attribute refers to tensor {index} of {tensors.Length}");
            var t = tensors[index];
            return decoded[index] ??= ElementTypes.Decode(data.Span.Slice(t.Offset, t.Length), t.DType, t.Dims, bigEndian: false);
        }
        for (int i = 0; i < nodes.Count; i++)
        {
            var e = nodes[i];
            var attributes = AttributeJson.Read(e.Attributes, e.Op, TensorAt, what => Corrupt($"node '{e.Name}' ({e.Op}): {what}"));
            Node node;
            try
            {
                node = graph.Apply(OpRegistry.Create(e.Op, attributes), e.Inputs.Select(k => built[k]).ToArray(), e.Name);
            }
            catch (NablaException ex) when (ex is not UnknownOpException)
            {
                throw Corrupt($"node '{e.Name}' ({e.Op}) cannot be rebuilt: {ex.Message}");
            }
            if (node.Name != e.Name) throw Corrupt($"the name '{e.Name}' is used by two nodes");
            if (node.DType != e.DType || node.Shape != e.Shape)
                throw Corrupt($"node '{e.Name}' ({e.Op}) is saved as {e.Shape} {e.DType.Name()} but its inputs give {node.Shape} {node.DType.Name()}");
            built[i] = node;
        }
        var byName = built.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var signatures = signatureNames.ToDictionary(
            s => s.Key,
            s => new Signature(s.Value.Inputs.ToDictionary(kv => kv.Key, kv => byName[kv.Value]), s.Value.Outputs.ToDictionary(kv => kv.Key, kv => byName[kv.Value])),
            StringComparer.Ordinal);
        return new LoadedModel(graph, new Session(graph), signatures, metadata);
    }

    private TensorEntry[] ReadTensorTable()
    {
        var table = root["tensors"] as JsonArray ?? throw Corrupt("it has no tensor table");
        var result = new TensorEntry[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            try
            {
                var t = (JsonObject)table[i]!;
                var dtypeName = t["dtype"]!.GetValue<string>();
                var dtype = AttributeJson.ParseDType(dtypeName) ?? throw Corrupt($"tensor {i} has the dtype '{dtypeName}', which this build cannot hold");
                var dims = AttributeJson.ReadInts(t["shape"]);
                long offset = t["offset"]!.GetValue<long>(), length = t["length"]!.GetValue<long>();
                long size = dims.Aggregate(1L, (a, d) => d < 0 ? -1 : checked(a * d));
                if (size < 0 || length != size * dtype.ByteSize() || offset < 0 || offset + length > data.Length)
                    throw Corrupt($"tensor {i} (shape [{string.Join(", ", dims)}], {dtypeName}) claims bytes [{offset}, {offset + length}) of {data.Length}");
                result[i] = new TensorEntry(dtype, dims, (int)offset, (int)length);
            }
            catch (Exception e) when (e is InvalidCastException or InvalidOperationException or NullReferenceException or FormatException)
            {
                throw Corrupt($"tensor entry {i} is malformed");
            }
        }
        return result;
    }

    private List<NodeEntry> ReadNodes()
    {
        var array = root["nodes"] as JsonArray ?? throw Corrupt("it has no node list");
        var result = new List<NodeEntry>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            NodeEntry entry;
            try
            {
                var n = (JsonObject)array[i]!;
                var dtypeName = n["dtype"]!.GetValue<string>();
                entry = new NodeEntry(n["name"]!.GetValue<string>(), n["op"]!.GetValue<string>(), AttributeJson.ReadInts(n["inputs"]),
                    AttributeJson.ParseDType(dtypeName) ?? throw Corrupt($"node {i} has the dtype '{dtypeName}', which this build cannot hold"),
                    AttributeJson.ReadShape(n["shape"]), n["attributes"] as JsonObject);
            }
            catch (Exception e) when (e is InvalidCastException or InvalidOperationException or NullReferenceException or FormatException)
            {
                throw Corrupt($"node entry {i} is malformed");
            }
            foreach (int k in entry.Inputs)
                if (k < 0 || k >= i) throw Corrupt($"node '{entry.Name}' ({entry.Op}) takes node {k} as input, which is not an earlier node");
            if (!OpRegistry.IsKnown(entry.Op))
                throw new UnknownOpException($"Model file '{source}': node '{entry.Name}' has the op type '{entry.Op}', which this build of Nabla does not know. It was saved by a newer version or with ops from another library; register them with OpRegistry.Register.");
            result.Add(entry);
        }
        return result;
    }

    private Dictionary<string, (Dictionary<string, string> Inputs, Dictionary<string, string> Outputs)> ReadSignatures(HashSet<string> names)
    {
        var result = new Dictionary<string, (Dictionary<string, string>, Dictionary<string, string>)>(StringComparer.Ordinal);
        foreach (var (name, value) in root["signatures"] as JsonObject ?? [])
        {
            Dictionary<string, string> Map(string part)
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, v) in (value as JsonObject)?[part] as JsonObject ?? throw Corrupt($"signature '{name}' has no {part}"))
                {
                    var node = v?.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : throw Corrupt($"signature '{name}' {part} '{key}' is not a node name");
                    if (!names.Contains(node)) throw Corrupt($"signature '{name}' {part} '{key}' names the node '{node}', which the graph does not have");
                    map[key] = node;
                }
                return map;
            }
            result[name] = (Map("inputs"), Map("outputs"));
        }
        return result;
    }
}
