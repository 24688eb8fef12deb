using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nabla;

/// <summary>
/// Op attributes as JSON for model files: each value is a one-key object naming its kind, {"int": 3}, {"double": 0.5},
/// {"bool": true}, {"string": "…"}, {"ints": [1, 2]}, {"shape": [-1, 784]} (null for unknown rank), {"dtype": "float32"},
/// {"tensor": 4} (an index into the file's tensor table), {"graph": {"nodes": [...]}} (a control-flow body, its nodes as
/// the model file lists a graph's), {"op": {"type": "Scan", "attributes": {...}}} (an op held by another). Doubles that
/// JSON cannot hold are written as "NaN", "Infinity", "-Infinity".
/// </summary>
internal static class AttributeJson
{
    public static JsonObject Write(OpAttributes attributes, Func<Tensor, int> addTensor, Func<Graph, JsonNode> writeGraph)
    {
        var result = new JsonObject();
        foreach (var (name, value) in attributes.Items)
            result[name] = value switch
            {
                int i => new JsonObject { ["int"] = i },
                double d => new JsonObject { ["double"] = double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)) },
                bool b => new JsonObject { ["bool"] = b },
                string s => new JsonObject { ["string"] = s },
                int[] a => new JsonObject { ["ints"] = Ints(a) },
                Shape s => new JsonObject { ["shape"] = ShapeJson(s) },
                DType t => new JsonObject { ["dtype"] = DTypeName(t) },
                Tensor t => new JsonObject { ["tensor"] = addTensor(t) },
                Graph g => new JsonObject { ["graph"] = writeGraph(g) },
                Op op => new JsonObject { ["op"] = new JsonObject { ["type"] = op.Type, ["attributes"] = Write(OpAttributes.Of(op), addTensor, writeGraph) } },
                _ => throw new InvalidOperationException($"attribute '{name}' has type {value.GetType().Name}"),
            };
        return result;
    }

    /// <summary>Reads attributes back; <paramref name="fail"/> builds the error for a malformed value.</summary>
    public static OpAttributes Read(JsonObject? json, string opType, Func<int, Tensor> tensor, Func<string, Exception> fail, Func<JsonNode, Graph> readGraph)
    {
        var result = new OpAttributes { OpType = opType };
        if (json is null) return result;
        foreach (var (name, node) in json)
        {
            if (node is not JsonObject { Count: 1 } one) throw fail($"attribute '{name}' is not a one-key object");
            var (kind, v) = one.First();
            try
            {
                result.Set(name, kind switch
                {
                    "int" => v!.GetValue<int>(),
                    "double" => v!.GetValueKind() == JsonValueKind.String ? double.Parse(v.GetValue<string>(), CultureInfo.InvariantCulture) : v.GetValue<double>(),
                    "bool" => v!.GetValue<bool>(),
                    "string" => v!.GetValue<string>(),
                    "ints" => ReadInts(v),
                    "shape" => ReadShape(v),
                    "dtype" => ParseDType(v!.GetValue<string>()) ?? throw fail($"attribute '{name}' names the unknown dtype '{v}'"),
                    "tensor" => tensor(v!.GetValue<int>()),
                    "graph" => readGraph(v!),
                    "op" => ReadOp(v!, tensor, fail, readGraph),
                    _ => throw fail($"attribute '{name}' has the unknown kind '{kind}'"),
                });
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or JsonException)
            {
                throw fail($"attribute '{name}' ({kind}) has the bad value {v?.ToJsonString() ?? "null"}");
            }
        }
        return result;
    }

    private static Op ReadOp(JsonNode v, Func<int, Tensor> tensor, Func<string, Exception> fail, Func<JsonNode, Graph> readGraph)
    {
        string type = v["type"]!.GetValue<string>();
        if (!OpRegistry.IsKnown(type)) throw fail($"an op attribute has the unknown op type '{type}'");
        var attributes = Read(v["attributes"] as JsonObject, type, tensor, fail, readGraph);
        try { return OpRegistry.Create(type, attributes); }
        catch (NablaException e) { throw fail($"the op attribute of type '{type}' cannot be rebuilt: {e.Message}"); }
    }

    public static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static int[] ReadInts(JsonNode? node) => ((JsonArray)node!).Select(v => v!.GetValue<int>()).ToArray();

    public static JsonNode? ShapeJson(Shape s) => s.IsUnknownRank ? null : Ints(s.Dims);

    public static Shape ReadShape(JsonNode? node) => node is null ? Shape.Unknown : new Shape(ReadInts(node));

    public static string DTypeName(DType t) => ElementTypes.Of(t).Name;

    public static DType? ParseDType(string name) => ElementTypes.All.FirstOrDefault(e => e.Name == name)?.DType;
}
