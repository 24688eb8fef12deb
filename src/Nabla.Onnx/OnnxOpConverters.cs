using Onnx;
using B = Nabla.Onnx.OnnxGraphBuilder;

namespace Nabla.Onnx;

/// <summary>
/// How each Nabla op type becomes ONNX nodes (opset 17), read through the op's public attributes. An op type
/// missing here has no counterpart yet; the exporter names the node and op.
/// </summary>
internal static class OnnxOpConverters
{
    /// <summary>Adds the ONNX nodes for <paramref name="node"/> whose inputs are the values <paramref name="x"/>; returns the output value.</summary>
    public delegate string Converter(B b, Node node, OpAttributes a, string[] x);

    private static Converter Same(string onnx) => (b, _, _, x) => b.Add(onnx, x);

    /// <summary>ONNX comparisons give booleans, as Nabla's do; a Nabla mask (1 or 0 in the operands' dtype) adds a Cast.</summary>
    private static Converter Compare(string onnx, bool negate = false) => (b, n, _, x) =>
    {
        var r = b.Add(onnx, x);
        if (negate) r = b.Add("Not", [r]);
        return n.DType == DType.Bool ? r : b.Add("Cast", [r], null, B.Int("to", (long)B.ElementType(n.DType)));
    };

    /// <summary>ONNX ArgMax/ArgMin give int64; an int32 result adds a Cast.</summary>
    private static Converter ArgExtreme(string onnx) => (b, n, a, x) =>
    {
        var r = b.Add(onnx, x, null, B.Int("axis", a.Int("axis")), B.Int("keepdims", 0), B.Int("select_last_index", 0));
        return n.DType == DType.Int64 ? r : b.Add("Cast", [r], null, B.Int("to", (long)B.ElementType(n.DType)));
    };

    private static string SwapLastTwo(B b, Node operand, string value)
    {
        int rank = operand.Shape.Rank;
        if (rank < 2) throw new OnnxException($"MatMul operand '{operand.Name}' needs a known rank of at least 2 to transpose for ONNX, but has shape {operand.Shape}.");
        var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[rank - 2], perm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
        return b.Add("Transpose", [value], null, B.Ints("perm", perm));
    }

    private static long[] Pair(int v) => [v, v];

    public static readonly Dictionary<string, Converter> All = new(StringComparer.Ordinal)
    {
        ["Add"] = Same("Add"), ["Sub"] = Same("Sub"), ["Mul"] = Same("Mul"), ["Div"] = Same("Div"), ["Pow"] = Same("Pow"),
        ["Neg"] = Same("Neg"), ["Exp"] = Same("Exp"), ["Log"] = Same("Log"), ["Sqrt"] = Same("Sqrt"), ["Abs"] = Same("Abs"),
        ["Sign"] = Same("Sign"), ["Sin"] = Same("Sin"), ["Cos"] = Same("Cos"), ["Tanh"] = Same("Tanh"), ["Sigmoid"] = Same("Sigmoid"),
        ["Relu"] = Same("Relu"), ["Identity"] = Same("Identity"), ["StopGradient"] = Same("Identity"),
        ["Maximum"] = Same("Max"), ["Minimum"] = Same("Min"),
        ["Square"] = (b, _, _, x) => b.Add("Mul", [x[0], x[0]]),
        ["Greater"] = Compare("Greater"), ["GreaterEqual"] = Compare("GreaterOrEqual"), ["Less"] = Compare("Less"),
        ["LessEqual"] = Compare("LessOrEqual"), ["Equal"] = Compare("Equal"), ["NotEqual"] = Compare("Equal", negate: true),
        ["Where"] = (b, _, _, x) => b.Add("Where", [b.Add("Cast", [x[0]], null, B.Int("to", (long)TensorProto.Types.DataType.Bool)), x[1], x[2]]),
        ["Cast"] = (b, n, _, x) => b.Add("Cast", x, null, B.Int("to", (long)B.ElementType(n.DType))),
        ["MatMul"] = (b, n, a, x) => b.Add("MatMul", [
            a.Bool("transpose_a") ? SwapLastTwo(b, n.Inputs[0], x[0]) : x[0],
            a.Bool("transpose_b") ? SwapLastTwo(b, n.Inputs[1], x[1]) : x[1]]),
        ["Conv2D"] = (b, _, a, x) => b.Add("Conv", x, null,
            B.Ints("strides", Pair(a.Int("stride"))), B.Ints("pads", [a.Int("padding"), a.Int("padding"), a.Int("padding"), a.Int("padding")]),
            B.Ints("dilations", Pair(a.Int("dilation")))),
        ["MaxPool2D"] = (b, _, a, x) => b.Add("MaxPool", x, null, B.Ints("kernel_shape", Pair(a.Int("kernel"))), B.Ints("strides", Pair(a.Int("stride")))),
        ["AvgPool2D"] = (b, _, a, x) => b.Add("AveragePool", x, null, B.Ints("kernel_shape", Pair(a.Int("kernel"))), B.Ints("strides", Pair(a.Int("stride")))),
        ["Softmax"] = (b, _, a, x) => b.Add("Softmax", x, null, B.Int("axis", a.Int("axis"))),
        ["LogSoftmax"] = (b, _, a, x) => b.Add("LogSoftmax", x, null, B.Int("axis", a.Int("axis"))),
        ["Sum"] = (b, _, a, x) => b.Add("ReduceSum", a.IntsOrNull("axes") is { } axes ? [x[0], b.Int64s(axes.Select(v => (long)v))] : [x[0]], null,
            B.Int("keepdims", a.Bool("keep_dims") ? 1 : 0)),
        ["Max"] = (b, _, a, x) => a.IntsOrNull("axes") is { } axes
            ? b.Add("ReduceMax", [x[0]], null, B.Ints("axes", axes.Select(v => (long)v)), B.Int("keepdims", a.Bool("keep_dims") ? 1 : 0))
            : b.Add("ReduceMax", [x[0]], null, B.Int("keepdims", a.Bool("keep_dims") ? 1 : 0)),
        ["Reshape"] = (b, _, a, x) => b.Add("Reshape", [x[0], a.IntsOrNull("shape") is { } dims ? b.Int64s(dims.Select(v => (long)v)) : b.Add("Shape", [x[1]])], null, B.Int("allowzero", 1)),
        ["ExpandDims"] = (b, _, a, x) => b.Add("Unsqueeze", [x[0], b.Int64s(a.Ints("axes").Select(v => (long)v))]),
        // ONNX cannot hold an empty perm (a scalar's), and the only transpose of a scalar is itself.
        ["Transpose"] = (b, _, a, x) => a.Ints("perm") is { Length: > 0 } perm
            ? b.Add("Transpose", x, null, B.Ints("perm", perm.Select(v => (long)v)))
            : b.Add("Identity", x),
        ["BroadcastTo"] = (b, _, a, x) => b.Add("Expand", [x[0], a.ShapeOrNull("shape") is { IsFullyKnown: true } s ? b.Int64s(s.Dims.Select(v => (long)v)) : b.Add("Shape", [x[1]])]),
        ["Concat"] = (b, _, a, x) => b.Add("Concat", x, null, B.Int("axis", a.Int("axis"))),
        ["Gather"] = (b, _, _, x) => b.Add("Gather", [x[0], ToInt64(b, x[1])], null, B.Int("axis", 0)),
        ["OneHot"] = (b, n, a, x) => b.Add("OneHot",
            [ToInt64(b, x[0]), b.Int64s([a.Int("depth")], scalar: true), b.Initializer($"{n.Name}/off_on", Tensor.FromArray([0.0, 1.0]).Cast(n.DType))], null, B.Int("axis", -1)),
        ["ArgMax"] = ArgExtreme("ArgMax"), ["ArgMin"] = ArgExtreme("ArgMin"),
        ["Cumsum"] = (b, _, a, x) => b.Add("CumSum", [x[0], b.Int64s([(long)a.Int("axis")], scalar: true)], null,
            B.Int("exclusive", a.Bool("exclusive") ? 1 : 0), B.Int("reverse", a.Bool("reverse") ? 1 : 0)),
        // Range's bounds are scalars of its dtype; ONNX computes start + i·delta for ⌈(limit − start)/delta⌉ elements, as Nabla does.
        ["Range"] = (b, n, a, _) => b.Add("Range", [.. new[] { "start", "limit", "delta" }.Select(k => b.Constant(Tensor.Scalar(a.Double(k), n.DType)))]),
        // ONNX TopK (largest, sorted) puts the lower index first among equal values, as Nabla does; its indices are int64.
        ["TopKIndices"] = (b, n, a, x) => b.Add("Cast",
            [b.AddWithOutputs("TopK", [x[0], b.Int64s([a.Int("k")])], 2, B.Int("axis", -1), B.Int("largest", 1), B.Int("sorted", 1))[1]],
            null, B.Int("to", (long)B.ElementType(n.DType))),
        ["TakeAlongLastAxis"] = (b, _, _, x) => b.Add("GatherElements", [x[0], ToInt64(b, x[1])], null, B.Int("axis", -1)),
        ["Slice"] = (b, n, a, x) =>
        {
            var begin = a.Ints("begin");
            // ONNX cannot slice a scalar; the only slice of one is itself.
            if (n.Inputs[0].Shape.Rank == 0) return b.Add("Identity", [x[0]]);
            var starts = b.Int64s(begin.Select(v => (long)v));
            // Without a size, the second input's shape is the size, known only at run time: ends = begin + shape.
            var ends = a.IntsOrNull("size") is { } size
                ? b.Int64s(begin.Zip(size, (s, k) => k == -1 ? long.MaxValue : (long)s + k))
                : b.Add("Add", [starts, b.Add("Shape", [x[1]])]);
            return b.Add("Slice", [x[0], starts, ends, b.Int64s(Enumerable.Range(0, begin.Length).Select(v => (long)v))]);
        },
    };

    /// <summary>Nabla keeps ids as whole numbers in a floating tensor; ONNX indexing ops take int64.</summary>
    private static string ToInt64(B b, string value) => b.Add("Cast", [value], null, B.Int("to", (long)TensorProto.Types.DataType.Int64));
}
