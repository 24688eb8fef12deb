using Google.Protobuf;
using Onnx;

namespace Nabla.Onnx;

/// <summary>
/// Exports the inference part of a Nabla graph to an ONNX model (opset 17) through the ONNX protobuf schema: placeholders
/// become graph inputs, variables (at their values in a session) and constants become initializers, and each op
/// between becomes its ONNX counterpart. Uses only Nabla's public API.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX opset the exported models import.</summary>
    public const int Opset = 17;

    /// <summary>Nabla op types that have an ONNX counterpart (besides Placeholder, Const and Variable).</summary>
    public static IReadOnlyCollection<string> SupportedOps => OnnxOpConverters.All.Keys;

    /// <summary>
    /// The ONNX model computing <paramref name="outputs"/> from <paramref name="inputs"/> (graph inputs and outputs keep
    /// these names), with variables at their values in <paramref name="session"/>. Throws <see cref="OnnxException"/>
    /// naming the first node whose op has no counterpart, or a placeholder the outputs need that is not an input.
    /// </summary>
    public static ModelProto Export(Session session, IReadOnlyDictionary<string, Node> inputs, IReadOnlyDictionary<string, Node> outputs)
    {
        ArgumentNullException.ThrowIfNull(session);
        var b = new OnnxGraphBuilder();
        foreach (var (name, node) in inputs)
        {
            if (node.Shape.IsUnknownRank)
                throw new OnnxException($"Input '{name}' (node '{node.Name}') has an unknown rank; ONNX graph inputs need one. Declare the placeholder's shape, with -1 for dims known only at run time.");
            b.Names[node] = name;
            b.Graph.Input.Add(OnnxGraphBuilder.ValueInfo(name, node.DType, node.Shape));
        }
        foreach (var node in Needed(outputs.Values, inputs.Values))
        {
            if (b.Names.ContainsKey(node)) continue;
            var value = node.Name;
            switch (node.OpType)
            {
                case "Placeholder":
                    throw new OnnxException($"Placeholder '{node.Name}' is needed by the outputs but is not among the inputs; add it to the inputs.");
                case "Variable":
                    b.Names[node] = b.Initializer(value, session.GetVariable(node));
                    continue;
                case "Const":
                    b.Names[node] = b.Initializer(value, OpAttributes.Of(node).Tensor("value"));
                    continue;
            }
            if (!OnnxOpConverters.All.TryGetValue(node.OpType, out var convert))
                throw new OnnxException($"Node '{node.Name}' (op {node.OpType}) has no ONNX counterpart yet; ops that export: {string.Join(", ", SupportedOps.Order())}.");
            b.Names[node] = convert(b, node, OpAttributes.Of(node), node.Inputs.Select(i => b.Names[i]).ToArray());
        }
        foreach (var (name, node) in outputs)
        {
            b.Add("Identity", [b.Names[node]], name);
            b.Graph.Output.Add(OnnxGraphBuilder.ValueInfo(name, node.DType, node.Shape));
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "Nabla", ProducerVersion = typeof(Node).Assembly.GetName().Version?.ToString() ?? "", Graph = b.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>Exports to a file (written to a unique temporary name, then renamed).</summary>
    public static void Export(string path, Session session, IReadOnlyDictionary<string, Node> inputs, IReadOnlyDictionary<string, Node> outputs)
    {
        var bytes = Export(session, inputs, outputs).ToByteArray();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The nodes the outputs depend on, in creation (topological) order, not looking past the inputs.</summary>
    private static List<Node> Needed(IEnumerable<Node> outputs, IEnumerable<Node> inputs)
    {
        var stop = inputs.ToHashSet();
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(outputs);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n) || stop.Contains(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return seen.OrderBy(n => n.Id).ToList();
    }
}
