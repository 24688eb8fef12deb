using Google.Protobuf;
using Onnx;

namespace Nabla.Onnx;

/// <summary>Accumulates the nodes, initializers, inputs and outputs of one ONNX graph, with unique value names.</summary>
internal sealed class OnnxGraphBuilder
{
    private int _counter;

    public GraphProto Graph { get; } = new() { Name = "nabla" };

    /// <summary>The ONNX value name of each exported Nabla node.</summary>
    public Dictionary<Node, string> Names { get; } = [];

    /// <summary>Adds an ONNX node; returns its (single) output name.</summary>
    public string Add(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= $"{opType}_{_counter++}";
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds an ONNX node with <paramref name="outputs"/> outputs; returns their names.</summary>
    public string[] AddWithOutputs(string opType, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        string name = $"{opType}_{_counter++}";
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"{name}_{i}").ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>A Constant node holding <paramref name="value"/>; returns its output name.</summary>
    public string Constant(Tensor value) =>
        Add("Constant", [], null, new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = ToProto("", value) });

    /// <summary>An int64 tensor initializer (shapes, axes), for inputs that ONNX takes as tensors.</summary>
    public string Int64s(IEnumerable<long> values, bool scalar = false)
    {
        var name = $"const_{_counter++}";
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Int64Data.AddRange(values);
        if (!scalar) t.Dims.Add(t.Int64Data.Count);
        Graph.Initializer.Add(t);
        return name;
    }

    public string Initializer(string name, Tensor value)
    {
        Graph.Initializer.Add(ToProto(name, value));
        return name;
    }

    public static TensorProto ToProto(string name, Tensor value)
    {
        var t = new TensorProto { Name = name, DataType = (int)ElementType(value.DType) };
        t.Dims.AddRange(value.Shape.Dims.Select(d => (long)d));
        t.RawData = ByteString.CopyFrom(value.AsBytes());
        return t;
    }

    public static TensorProto.Types.DataType ElementType(DType dtype) => dtype switch
    {
        DType.Float32 => TensorProto.Types.DataType.Float,
        DType.Float64 => TensorProto.Types.DataType.Double,
        DType.Int32 => TensorProto.Types.DataType.Int32,
        DType.Int64 => TensorProto.Types.DataType.Int64,
        DType.Bool => TensorProto.Types.DataType.Bool,
        _ => throw new OnnxException($"dtype {dtype.Name()} has no ONNX element type."),
    };

    /// <summary>A value description: element type and shape, with -1 dims as the symbolic dimension "N".</summary>
    public static ValueInfoProto ValueInfo(string name, DType dtype, Shape shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)ElementType(dtype) };
        if (!shape.IsUnknownRank)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (int d in shape.Dims)
                tensor.Shape.Dim.Add(d >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
}
