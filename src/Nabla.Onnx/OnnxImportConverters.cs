using Onnx;

namespace Nabla.Onnx;

/// <summary>How each ONNX op type becomes Nabla nodes. A converter reads the node's inputs and attributes and sets its output.</summary>
internal static class OnnxImportConverters
{
    public delegate void Converter(OnnxImportContext ctx, NodeProto node);

    private static Node In(OnnxImportContext c, NodeProto n, int i) => c.Value(n.Input[i], $"input {i} of node '{n.Name}' ({n.OpType})");

    private static bool HasInput(NodeProto n, int i) => n.Input.Count > i && n.Input[i] != "";

    private static void Set(OnnxImportContext c, NodeProto n, Node value) => c.Values[n.Output[0]] = value;

    private static AttributeProto? Attr(NodeProto n, string name) => n.Attribute.FirstOrDefault(a => a.Name == name);

    private static long Int(NodeProto n, string name, long fallback) => Attr(n, name) is { } a ? a.I : fallback;

    private static float Float(NodeProto n, string name, float fallback) => Attr(n, name) is { } a ? a.F : fallback;

    private static long[]? Ints(NodeProto n, string name) => Attr(n, name)?.Ints.ToArray();

    private static OnnxException Unsupported(NodeProto n, string what) =>
        new($"ONNX node '{n.Name}' ({n.OpType}): {what} is not imported yet.");

    private static Converter Unary(Func<Node, Node> f) => (c, n) => Set(c, n, f(In(c, n, 0)));

    private static Converter Binary(Func<Node, Node, Node> f) => (c, n) => Set(c, n, f(In(c, n, 0), In(c, n, 1)));

    /// <summary>One value for both spatial axes: ONNX allows a pair of different ones, Nabla's 2-D ops take one.</summary>
    private static int Uniform(NodeProto n, string name, int fallback, int count = 2)
    {
        var values = Ints(n, name);
        if (values is null || values.Length == 0) return fallback;
        if (values.Length != count || values.Distinct().Count() != 1) throw Unsupported(n, $"{name} [{string.Join(", ", values)}] (not the same on every side)");
        return checked((int)values[0]);
    }

    private static int[] Axes(long[] axes) => axes.Select(a => checked((int)a)).ToArray();

    private static void Conv(OnnxImportContext c, NodeProto n)
    {
        if (Int(n, "group", 1) != 1) throw Unsupported(n, "a grouped convolution");
        if (Attr(n, "auto_pad") is { } pad && pad.S.ToStringUtf8() is not ("NOTSET" or "VALID")) throw Unsupported(n, "auto_pad");
        var y = In(c, n, 0).Conv2D(In(c, n, 1), Uniform(n, "strides", 1), Uniform(n, "pads", 0, 4), Uniform(n, "dilations", 1));
        if (HasInput(n, 2))
        {
            var bias = In(c, n, 2);
            y += bias.Reshape(bias.Shape[0], 1, 1);
        }
        Set(c, n, y);
    }

    private static Converter Pool(Func<Node, int, int, Node> f) => (c, n) =>
    {
        if (Uniform(n, "pads", 0, 4) != 0 || Int(n, "ceil_mode", 0) != 0) throw Unsupported(n, "padding or ceil_mode");
        int kernel = Uniform(n, "kernel_shape", 0);
        Set(c, n, f(In(c, n, 0), kernel, Uniform(n, "strides", 1)));
    };

    private static void Gemm(OnnxImportContext c, NodeProto n)
    {
        var y = In(c, n, 0).MatMul(In(c, n, 1), Int(n, "transA", 0) != 0, Int(n, "transB", 0) != 0);
        float alpha = Float(n, "alpha", 1), beta = Float(n, "beta", 1);
        if (alpha != 1) y *= alpha;
        if (HasInput(n, 2)) y += beta == 1 ? In(c, n, 2) : In(c, n, 2) * beta;
        Set(c, n, y);
    }

    /// <summary>ONNX Reshape: 0 copies the input's dim (unless allowzero), -1 is inferred.</summary>
    private static void Reshape(OnnxImportContext c, NodeProto n)
    {
        var x = In(c, n, 0);
        var dims = Axes(c.IntegersOf(n.Input[1], $"shape of node '{n.Name}'"));
        if (Int(n, "allowzero", 0) == 0)
            for (int i = 0; i < dims.Length; i++)
                if (dims[i] == 0) dims[i] = x.Shape.IsUnknownRank ? throw Unsupported(n, "copying a dim of an input of unknown rank") : x.Shape[i];
        if (dims.Count(d => d == -1) > 1) throw Unsupported(n, $"the shape [{string.Join(", ", dims)}] with a batch dim known only at run time and another -1");
        Set(c, n, x.Reshape(dims));
    }

    private static void Flatten(OnnxImportContext c, NodeProto n)
    {
        var x = In(c, n, 0);
        int axis = checked((int)Int(n, "axis", 1));
        if (x.Shape.IsUnknownRank) throw Unsupported(n, "an input of unknown rank");
        if (axis < 0) axis += x.Shape.Rank;
        var outer = x.Shape.Dims[..axis];
        var inner = x.Shape.Dims[axis..];
        int Product(int[] d) => d.Contains(-1) ? -1 : d.Aggregate(1, (a, v) => a * v);
        if (Product(outer) == -1 && Product(inner) == -1) throw Unsupported(n, $"flattening {x.Shape} with unknown dims on both sides of axis {axis}");
        Set(c, n, x.Reshape(Product(outer), Product(inner)));
    }

    private static long[]? AxesOf(OnnxImportContext c, NodeProto n) =>
        HasInput(n, 1) ? c.IntegersOf(n.Input[1], $"axes of node '{n.Name}'") : Ints(n, "axes");

    private static Converter Reduce(Func<Node, int[]?, bool, Node> f) => (c, n) =>
    {
        var axes = AxesOf(c, n);
        if ((axes is null || axes.Length == 0) && Int(n, "noop_with_empty_axes", 0) != 0) { Set(c, n, In(c, n, 0)); return; }
        Set(c, n, f(In(c, n, 0), axes is null || axes.Length == 0 ? null : Axes(axes), Int(n, "keepdims", 1) != 0));
    };

    private static void Unsqueeze(OnnxImportContext c, NodeProto n)
    {
        var x = In(c, n, 0);
        var axes = AxesOf(c, n) ?? throw Unsupported(n, "an Unsqueeze without axes");
        int rank = x.Shape.Rank + axes.Length;
        foreach (int a in Axes(axes).Select(a => a < 0 ? a + rank : a).Order()) x = x.ExpandDims(a);
        Set(c, n, x);
    }

    private static void Constant(OnnxImportContext c, NodeProto n)
    {
        var t = Attr(n, "value")?.T ?? throw Unsupported(n, "a Constant without a tensor 'value'");
        if (OnnxTensors.IsInteger(t))
        {
            c.Integers[n.Output[0]] = OnnxTensors.ToLongs(t, $"Constant '{n.Name}'");
            c.IntegerDTypes[n.Output[0]] = OnnxTensors.ToDType(t.DataType)!.Value;
        }
        else Set(c, n, c.Graph.Constant(OnnxTensors.ToTensor(t, c.DType, $"Constant '{n.Name}'"), n.Output[0]));
    }

    private static void Cast(OnnxImportContext c, NodeProto n)
    {
        var x = In(c, n, 0);
        long to = Int(n, "to", 0);
        var dtype = OnnxTensors.ToDType(to) ?? throw Unsupported(n, $"a cast to element type {to}");
        Set(c, n, x.Cast(dtype.IsFloatingPoint() ? c.DType ?? dtype : dtype));
    }

    /// <summary>A constant scalar input: from an integer tensor, or a float Constant or initializer.</summary>
    private static double ScalarInput(OnnxImportContext c, NodeProto n, int i)
    {
        if (c.Integers.TryGetValue(n.Input[i], out var ints) && ints.Length == 1) return ints[0];
        var node = In(c, n, i);
        var value = node.Op.FixedValue ?? (node.Op.SourceKind == SourceKind.Variable ? OpAttributes.Of(node).Tensor("value") : null);
        return value is { Size: 1 } ? value.GetFlat(0) : throw Unsupported(n, $"input {i} that is not a constant scalar");
    }

    private static void Range(OnnxImportContext c, NodeProto n)
    {
        var dtype = c.IntegerDTypes.TryGetValue(n.Input[0], out var integer) ? integer : c.Value(n.Input[0], $"start of node '{n.Name}'").DType;
        Set(c, n, c.Graph.Range(ScalarInput(c, n, 0), ScalarInput(c, n, 1), ScalarInput(c, n, 2), dtype));
    }

    /// <summary>TopK along the last axis, largest first and sorted (Nabla's only kind); its indices are int64.</summary>
    private static void TopK(OnnxImportContext c, NodeProto n)
    {
        var x = In(c, n, 0);
        long axis = Int(n, "axis", -1);
        if ((axis != -1 && axis != x.Shape.Rank - 1) || Int(n, "largest", 1) != 1 || Int(n, "sorted", 1) != 1)
            throw Unsupported(n, "TopK other than the largest, sorted, along the last axis");
        var (values, indices) = x.TopK(checked((int)c.IntegersOf(n.Input[1], $"k of node '{n.Name}'")[0]));
        c.Values[n.Output[0]] = values;
        if (n.Output.Count > 1 && n.Output[1] != "") c.Values[n.Output[1]] = indices.Cast(DType.Int64);
    }

    private static void GatherElements(OnnxImportContext c, NodeProto n)
    {
        var x = In(c, n, 0);
        long axis = Int(n, "axis", 0);
        if (axis != -1 && axis != x.Shape.Rank - 1) throw Unsupported(n, $"GatherElements along axis {axis} (only the last axis is imported)");
        Set(c, n, x.TakeAlongLastAxis(In(c, n, 1)));
    }

    /// <summary>ONNX ArgMax/ArgMin give int64, keeping the axis as 1 unless keepdims is 0.</summary>
    private static Converter ArgExtreme(bool largest) => (c, n) =>
    {
        if (Int(n, "select_last_index", 0) != 0) throw Unsupported(n, "select_last_index=1 (Nabla picks the first on ties)");
        var x = In(c, n, 0);
        int axis = checked((int)Int(n, "axis", 0));
        var y = largest ? x.ArgMax(axis, DType.Int64) : x.ArgMin(axis, DType.Int64);
        Set(c, n, Int(n, "keepdims", 1) != 0 ? y.ExpandDims(axis < 0 ? axis + x.Shape.Rank : axis) : y);
    };

    public static readonly Dictionary<string, Converter> All = new(StringComparer.Ordinal)
    {
        ["Add"] = (c, n) =>
        {
            // Shape arithmetic (e.g. Slice ends = starts + Shape(x)) stays in integers.
            if (c.Integers.TryGetValue(n.Input[0], out var p) && c.Integers.TryGetValue(n.Input[1], out var q) && p.Length == q.Length)
                c.Integers[n.Output[0]] = p.Zip(q, (u, v) => u + v).ToArray();
            else Set(c, n, In(c, n, 0) + In(c, n, 1));
        },
        ["Shape"] = (c, n) =>
        {
            var x = In(c, n, 0);
            if (!x.Shape.IsFullyKnown) throw Unsupported(n, $"the Shape of {x.Shape} (dims known only at run time)");
            c.Integers[n.Output[0]] = x.Shape.Dims.Select(d => (long)d).ToArray();
        }, ["Sub"] = Binary((a, b) => a - b), ["Mul"] = Binary((a, b) => a * b),
        ["Div"] = Binary((a, b) => a / b), ["Pow"] = Binary(Node.Pow),
        ["Max"] = Binary(Node.Maximum), ["Min"] = Binary(Node.Minimum),
        ["Neg"] = Unary(x => -x), ["Exp"] = Unary(x => x.Exp()), ["Log"] = Unary(x => x.Log()), ["Sqrt"] = Unary(x => x.Sqrt()),
        ["Abs"] = Unary(x => x.Abs()), ["Sign"] = Unary(x => x.Sign()), ["Sin"] = Unary(x => x.Sin()), ["Cos"] = Unary(x => x.Cos()),
        ["Tanh"] = Unary(x => x.Tanh()), ["Sigmoid"] = Unary(x => x.Sigmoid()), ["Relu"] = Unary(x => x.Relu()),
        ["Identity"] = Unary(x => x.DType.IsFloatingPoint() ? x.Identity() : x),
        ["Greater"] = Binary((a, b) => a.Greater(b)), ["GreaterOrEqual"] = Binary((a, b) => a.GreaterEqual(b)),
        ["Less"] = Binary((a, b) => a.Less(b)), ["LessOrEqual"] = Binary((a, b) => a.LessEqual(b)), ["Equal"] = Binary((a, b) => a.Equal(b)),
        ["Not"] = Unary(x => x.DType == DType.Bool ? x.Cast(DType.Int32).Equal(x.Graph.Scalar(0, DType.Int32)) : 1.0 - x),
        ["ArgMax"] = ArgExtreme(largest: true), ["ArgMin"] = ArgExtreme(largest: false),
        ["CumSum"] = (c, n) => Set(c, n, In(c, n, 0).Cumsum(
            checked((int)c.IntegersOf(n.Input[1], $"axis of node '{n.Name}'").Single()), Int(n, "exclusive", 0) != 0, Int(n, "reverse", 0) != 0)),
        ["Where"] = (c, n) => Set(c, n, Node.Where(In(c, n, 0), In(c, n, 1), In(c, n, 2))),
        ["Cast"] = Cast,
        ["MatMul"] = Binary((a, b) => a.MatMul(b)),
        ["Gemm"] = Gemm,
        ["Conv"] = Conv,
        ["MaxPool"] = Pool((x, k, s) => x.MaxPool2D(k, s)),
        ["AveragePool"] = Pool((x, k, s) => x.AvgPool2D(k, s)),
        ["Softmax"] = (c, n) => Set(c, n, In(c, n, 0).Softmax(checked((int)Int(n, "axis", -1)))),
        ["LogSoftmax"] = (c, n) => Set(c, n, In(c, n, 0).LogSoftmax(checked((int)Int(n, "axis", -1)))),
        ["ReduceSum"] = Reduce((x, axes, keep) => x.Sum(axes, keep)),
        ["ReduceMax"] = Reduce((x, axes, keep) => x.Max(axes, keep)),
        ["ReduceMean"] = Reduce((x, axes, keep) => x.Mean(axes, keep)),
        ["Reshape"] = Reshape,
        ["Flatten"] = Flatten,
        ["Unsqueeze"] = Unsqueeze,
        ["Transpose"] = (c, n) =>
        {
            var x = In(c, n, 0);
            var perm = Ints(n, "perm") is { } p ? Axes(p) : Enumerable.Range(0, x.Shape.Rank).Reverse().ToArray();
            Set(c, n, x.Transpose(perm));
        },
        ["Expand"] = (c, n) => Set(c, n, In(c, n, 0).BroadcastTo(new Shape(Axes(c.IntegersOf(n.Input[1], $"shape of node '{n.Name}'"))))),
        ["Concat"] = (c, n) => Set(c, n, Node.Concat(n.Input.Select((_, i) => In(c, n, i)).ToArray(), checked((int)Int(n, "axis", 0)))),
        ["Constant"] = Constant,
        ["Range"] = Range,
        ["TopK"] = TopK,
        ["GatherElements"] = GatherElements,
        ["Gather"] = (c, n) =>
        {
            if (Int(n, "axis", 0) != 0) throw Unsupported(n, "a Gather along an axis other than 0");
            Set(c, n, In(c, n, 0).Gather(c.Integers.TryGetValue(n.Input[1], out var ids)
                ? c.Graph.Constant(Tensor.FromArray(ids.Select(v => (double)v).ToArray()).Cast(In(c, n, 0).DType))
                : In(c, n, 1)));
        },
        ["OneHot"] = (c, n) =>
        {
            var values = In(c, n, 2);
            if (Int(n, "axis", -1) != -1) throw Unsupported(n, "a OneHot along an axis other than the last");
            var depth = c.IntegersOf(n.Input[1], $"depth of node '{n.Name}'");
            var hot = In(c, n, 0).OneHot(checked((int)depth[0])).Cast(values.DType);
            // off + (on − off)·onehot, with values = [off, on].
            var off = values.Slice([0], [1]);
            Set(c, n, off + (values.Slice([1], [1]) - off) * hot);
        },
        ["Slice"] = (c, n) =>
        {
            var x = In(c, n, 0);
            if (x.Shape.IsUnknownRank || !x.Shape.IsFullyKnown) throw Unsupported(n, $"a Slice of {x.Shape} (dims known only at run time)");
            var starts = c.IntegersOf(n.Input[1], $"starts of node '{n.Name}'");
            var ends = c.IntegersOf(n.Input[2], $"ends of node '{n.Name}'");
            var axes = HasInput(n, 3) ? c.IntegersOf(n.Input[3], $"axes of node '{n.Name}'") : Enumerable.Range(0, starts.Length).Select(v => (long)v).ToArray();
            if (HasInput(n, 4) && c.IntegersOf(n.Input[4], $"steps of node '{n.Name}'").Any(s => s != 1)) throw Unsupported(n, "a Slice with steps other than 1");
            var begin = new int[x.Shape.Rank];
            var size = x.Shape.Dims;
            for (int k = 0; k < axes.Length; k++)
            {
                int axis = (int)(axes[k] < 0 ? axes[k] + x.Shape.Rank : axes[k]), dim = x.Shape[axis];
                long b = Math.Clamp(starts[k] < 0 ? starts[k] + dim : starts[k], 0, dim), e = Math.Clamp(ends[k] < 0 ? ends[k] + dim : ends[k], 0, dim);
                begin[axis] = (int)b;
                size[axis] = (int)Math.Max(0, e - b);
            }
            Set(c, n, x.Slice(begin, size));
        },
        ["Pad"] = (c, n) =>
        {
            // PyTorch writes a zero Pad before some pools; other pads have no Nabla counterpart here yet.
            var pads = c.IntegersOf(n.Input[1], $"pads of node '{n.Name}'");
            if (pads.Any(p => p != 0)) throw Unsupported(n, $"non-zero pads [{string.Join(", ", pads)}]");
            Set(c, n, In(c, n, 0));
        },
    };
}
