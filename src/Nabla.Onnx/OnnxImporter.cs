using Google.Protobuf;
using Onnx;

namespace Nabla.Onnx;

/// <summary>
/// Imports an ONNX model into a fresh Nabla graph: graph inputs become placeholders (symbolic dims become -1),
/// initializers become variables (so the model can be fine-tuned), Constant nodes become constants, and each node
/// becomes the Nabla ops that compute it. The result has one signature, "serve", with the model's input and output
/// names. Integer tensors (shapes, axes) are read as attributes; an op without a Nabla counterpart gives an
/// <see cref="OnnxException"/> naming the node and op. Uses only Nabla's public API.
/// </summary>
public static class OnnxImporter
{
    /// <summary>ONNX op types that import.</summary>
    public static IReadOnlyCollection<string> SupportedOps => OnnxImportConverters.All.Keys;

    /// <summary>Reads and imports an ONNX file; <paramref name="dtype"/> converts every tensor (e.g. float64 for gradient checks).</summary>
    public static LoadedModel Import(string path, DType? dtype = null)
    {
        if (!File.Exists(path)) throw new OnnxException($"ONNX file '{path}' does not exist.");
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e) { throw new OnnxException($"'{path}' is not a readable ONNX model: {e.Message}"); }
        return Import(model, dtype, path);
    }

    /// <summary>Imports a parsed model; <paramref name="source"/> names it in errors.</summary>
    public static LoadedModel Import(ModelProto model, DType? dtype = null, string source = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph ?? throw new OnnxException($"ONNX {source} has no graph.");
        var ctx = new OnnxImportContext(new Graph(), dtype);
        foreach (var init in graph.Initializer)
        {
            if (OnnxTensors.IsInteger(init)) ctx.Integers[init.Name] = OnnxTensors.ToLongs(init, $"initializer '{init.Name}'");
            else ctx.Values[init.Name] = ctx.Graph.Variable(init.Name, OnnxTensors.ToTensor(init, dtype, $"initializer '{init.Name}'"));
        }
        var inputs = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (ctx.Values.ContainsKey(input.Name) || ctx.Integers.ContainsKey(input.Name)) continue;  // older files list initializers as inputs too
            var tensor = input.Type?.TensorType ?? throw new OnnxException($"ONNX input '{input.Name}' is not a tensor.");
            var type = OnnxTensors.ToDType(tensor.ElemType) ?? throw new OnnxException($"ONNX input '{input.Name}' has element type {tensor.ElemType}; Nabla imports float and double inputs.");
            var shape = tensor.Shape is null ? Shape.Unknown : new Shape(tensor.Shape.Dim.Select(d => d.HasDimValue ? checked((int)d.DimValue) : -1).ToArray());
            inputs[input.Name] = ctx.Values[input.Name] = ctx.Graph.Placeholder(input.Name, shape, dtype ?? type);
        }
        foreach (var node in graph.Node)
        {
            if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                throw new OnnxException($"ONNX node '{node.Name}' (op {node.OpType}) is in the domain '{node.Domain}'; Nabla imports the default domain only.");
            if (!OnnxImportConverters.All.TryGetValue(node.OpType, out var convert))
                throw new OnnxException($"ONNX node '{node.Name}' (op {node.OpType}) has no Nabla counterpart yet; ops that import: {string.Join(", ", SupportedOps.Order())}.");
            try
            {
                convert(ctx, node);
            }
            catch (NablaException e) when (e is not OnnxException)
            {
                throw new OnnxException($"ONNX node '{node.Name}' (op {node.OpType}) cannot be imported: {e.Message}");
            }
        }
        var outputs = graph.Output.ToDictionary(o => o.Name, o => ctx.Value(o.Name, "graph output"), StringComparer.Ordinal);
        var signatures = new Dictionary<string, Signature> { ["serve"] = new(inputs, outputs) };
        var metadata = new Dictionary<string, string> { ["producer"] = $"{model.ProducerName} {model.ProducerVersion}".Trim() };
        return new LoadedModel(ctx.Graph, new Session(ctx.Graph), signatures, metadata);
    }
}

/// <summary>The values produced so far while importing: float values as nodes, integer tensors as lists.</summary>
internal sealed class OnnxImportContext(Graph graph, DType? dtype)
{
    public Graph Graph { get; } = graph;
    public DType? DType { get; } = dtype;
    public Dictionary<string, Node> Values { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long[]> Integers { get; } = new(StringComparer.Ordinal);

    /// <summary>The element type of each integer tensor that a Constant gave.</summary>
    public Dictionary<string, DType> IntegerDTypes { get; } = new(StringComparer.Ordinal);

    public Node Value(string name, string what) => Values.TryGetValue(name, out var n) ? n
        : throw new OnnxException($"ONNX {what} '{name}' is not produced by any earlier node, input or initializer (or is an integer tensor used as data).");

    public long[] IntegersOf(string name, string what) => Integers.TryGetValue(name, out var v) ? v
        : throw new OnnxException($"ONNX {what} '{name}' must be a constant integer tensor (an initializer or Constant); computed shapes are not imported yet.");
}
