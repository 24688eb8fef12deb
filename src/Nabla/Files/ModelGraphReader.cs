using System.Text.Json.Nodes;

namespace Nabla;

/// <summary>
/// Turns the JSON and data of a model file into a graph: first checks every tensor entry, node and signature
/// (nothing is built while anything is wrong), then rebuilds the nodes in order and checks that each one gets
/// back its saved name, dtype and shape. A control-flow op's body graph is an attribute holding a node list of its
/// own, checked and rebuilt the same way, as a body of the graph the op belongs to.
/// </summary>
internal sealed class ModelGraphReader(string source, JsonObject root, ReadOnlyMemory<byte> data)
{
    private sealed record NodeEntry(string Name, string Op, int[] Inputs, DType DType, Shape Shape, JsonObject? Attributes);

    private sealed record TensorEntry(DType DType, int[] Dims, int Offset, int Length);

    private ModelFileCorruptException Corrupt(string what) => new($"Model file '{source}': {what}; the file is corrupt.");

    public LoadedModel Build()
    {
        _tensors = ReadTensorTable();
        _decoded = new Tensor?[_tensors.Length];
        var nodes = ReadNodes(root["nodes"] as JsonArray ?? throw Corrupt("it has no node list"), "");
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var signatureNames = ReadSignatures(names);
        var metadata = (root["metadata"] as JsonObject ?? [])
            .ToDictionary(m => m.Key, m => m.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);

        var graph = new Graph();
        var built = BuildNodes(graph, nodes, "");
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

    private TensorEntry[] _tensors = [];
    private Tensor?[] _decoded = [];

    private Tensor TensorAt(int index)
    {
        if ((uint)index >= (uint)_tensors.Length) throw Corrupt($"an attribute refers to tensor {index} of {_tensors.Length}");
        var t = _tensors[index];
        return _decoded[index] ??= ElementTypes.Decode(data.Span.Slice(t.Offset, t.Length), t.DType, t.Dims, bigEndian: false);
    }

    /// <summary>Rebuilds <paramref name="nodes"/> in <paramref name="graph"/>; <paramref name="where"/> says which body they belong to in errors.</summary>
    private Node[] BuildNodes(Graph graph, List<NodeEntry> nodes, string where)
    {
        var built = new Node[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            var e = nodes[i];
            string label = $"node '{e.Name}' ({e.Op}){where}";
            var attributes = AttributeJson.Read(e.Attributes, e.Op, TensorAt, what => Corrupt($"{label}: {what}"), json => Body(graph, json, $" in the body of '{e.Name}'{where}"));
            Node node;
            try
            {
                node = graph.Apply(OpRegistry.Create(e.Op, attributes), e.Inputs.Select(k => built[k]).ToArray(), e.Name);
            }
            catch (NablaException ex) when (ex is not UnknownOpException and not ModelFileException)
            {
                throw Corrupt($"{label} cannot be rebuilt: {ex.Message}");
            }
            if (node.Name != e.Name) throw Corrupt($"the name '{e.Name}' is used by two nodes{where}");
            if (node.DType != e.DType || node.Shape != e.Shape)
                throw Corrupt($"{label} is saved as {e.Shape} {e.DType.Name()} but its inputs give {node.Shape} {node.DType.Name()}");
            built[i] = node;
        }
        return built;
    }

    /// <summary>A control-flow body: its node list checked, then built as a body of <paramref name="outer"/>.</summary>
    private Graph Body(Graph outer, JsonNode json, string where)
    {
        var list = (json as JsonObject)?["nodes"] as JsonArray ?? throw Corrupt($"the body graph{where} has no node list");
        var body = outer.CreateBody();
        BuildNodes(body, ReadNodes(list, where), where);
        return body;
    }

    private List<NodeEntry> ReadNodes(JsonArray array, string where)
    {
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
                throw Corrupt($"node entry {i}{where} is malformed");
            }
            foreach (int k in entry.Inputs)
                if (k < 0 || k >= i) throw Corrupt($"node '{entry.Name}' ({entry.Op}){where} takes node {k} as input, which is not an earlier node");
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
