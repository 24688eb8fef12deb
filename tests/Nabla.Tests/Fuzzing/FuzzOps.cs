using static Nabla.Tests.OpTable.Reference;
using NNReference = Nabla.Tests.OpTable.NNReference;

namespace Nabla.Tests.Fuzzing;

/// <summary>
/// One op the graph fuzzer may apply: when it fits its operands' shapes, how to build it, its naive float64
/// reference (index loops from the op table), and the C# that builds it (for printed repros). p is a free
/// parameter (an axis, a slice, a permutation) the op reduces modulo what it needs.
/// </summary>
internal sealed record FuzzOp(
    string Name,
    int Arity,
    bool Smooth,
    Func<Shape, Shape?, int, bool> Fits,
    Func<Node, Node?, int, Node> Build,
    Func<Tensor, Tensor?, int, Tensor> Ref,
    Func<string, string?, Shape, int, string> Code)
{
    /// <summary>False for a select on a comparison: float32 rounding may flip its choice, so float32 is compared only without it.</summary>
    public bool Continuous => Name != "Where";
}

internal static class FuzzOps
{
    private static bool Any(Shape a, Shape? b, int p) => true;
    private static bool Ranked(Shape a, Shape? b, int p) => a.Rank > 0;

    private static bool Broadcastable(Shape a, Shape? b, int p)
    {
        for (int i = 1; i <= Math.Min(a.Rank, b!.Rank); i++)
            if (a[a.Rank - i] != b[b.Rank - i] && a[a.Rank - i] != 1 && b[b.Rank - i] != 1) return false;
        return true;
    }

    private static FuzzOp Unary(string name, Func<Node, Node> build, Func<double, double> f, string code, bool smooth = true) =>
        new(name, 1, smooth, Any, (a, _, _) => build(a), (a, _, _) => Map(a, f), (a, _, _, _) => string.Format(code, a));

    private static FuzzOp Binary(string name, Func<Node, Node, Node> build, Func<double, double, double> f, string code, bool smooth = true) =>
        new(name, 2, smooth, Broadcastable, (a, b, _) => build(a, b!), (a, b, _) => Zip(a, b!, f), (a, b, _, _) => string.Format(code, a, b));

    private static int Axis(Shape s, int p) => p % s.Rank;
    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    private static int[] Perm(int rank, int p)
    {
        var perm = Enumerable.Range(0, rank).ToArray();
        for (int i = rank - 1; i > 0; i--) { int j = p % (i + 1); p /= i + 1; (perm[i], perm[j]) = (perm[j], perm[i]); }
        return perm;
    }

    /// <summary>A block of x: per axis a begin in [0, d) and a size in [1, d − begin], both drawn from p.</summary>
    private static (int[] Begin, int[] Size) Block(Shape s, int p)
    {
        var begin = new int[s.Rank];
        var size = new int[s.Rank];
        for (int i = 0; i < s.Rank; i++)
        {
            begin[i] = p % s[i]; p /= Math.Max(1, s[i]);
            size[i] = 1 + p % (s[i] - begin[i]); p /= Math.Max(1, s[i]);
        }
        return (begin, size);
    }

    private static string Ints(int[] v) => string.Join(", ", v);

    /// <summary>A tensor taken as one single-channel image of its rows (all leading axes) by its last axis, both at least 2.</summary>
    private static bool Plane(Shape a, Shape? b, int p) => a.Rank >= 2 && a[-1] >= 2 && a.Size / a[-1] >= 2;

    private static Node Image(Node a) => a.Reshape(1, 1, a.Shape.Size / a.Shape[-1], a.Shape[-1]);

    private static Tensor Image(Tensor a) => a.Reshape(1, 1, a.Size / a.Shape[-1], a.Shape[-1]);

    private static string ImageCode(string a, Shape s) => $"{a}.Reshape(1, 1, {s.Size / s[-1]}, {s[-1]})";

    private static Tensor Filter(int p) => Tensor.RandomNormal(new Shape(2, 1, 2, 2), p, dtype: DType.Float64);

    /// <summary><paramref name="count"/> ids in [0, n) drawn from p (3 when count is not given).</summary>
    private static Tensor Ids(int n, int p, int count = 3)
    {
        var ids = new double[count];
        for (int i = 0; i < count; i++) { ids[i] = p % n; p = p / n + 7 * i + 1; }
        return Tensor.FromArray(ids, count);
    }

    public static readonly FuzzOp[] All =
    [
        Unary("Neg", a => -a, v => -v, "-{0}"),
        Binary("Add", (a, b) => a + b, (u, v) => u + v, "{0} + {1}"),
        Binary("Sub", (a, b) => a - b, (u, v) => u - v, "{0} - {1}"),
        Binary("Mul", (a, b) => a * b, (u, v) => u * v, "{0} * {1}"),
        Binary("Div", (a, b) => a / (b.Square() + 1), (u, v) => u / (v * v + 1), "{0} / ({1}.Square() + 1)"),
        Binary("Pow", (a, b) => Node.Pow(a.Square() + 1, b.Tanh()), (u, v) => Math.Pow(u * u + 1, Math.Tanh(v)), "Node.Pow({0}.Square() + 1, {1}.Tanh())"),
        Binary("Maximum", Node.Maximum, Math.Max, "Node.Maximum({0}, {1})", smooth: false),
        Binary("Minimum", Node.Minimum, Math.Min, "Node.Minimum({0}, {1})", smooth: false),
        Binary("Where", (a, b) => Node.Where(a.Greater(b), a, b * 2), (u, v) => u > v ? u : 2 * v, "Node.Where({0}.Greater({1}), {0}, {1} * 2)", smooth: false),
        Unary("Tanh", a => a.Tanh(), Math.Tanh, "{0}.Tanh()"),
        Unary("Sigmoid", a => a.Sigmoid(), Sigmoid, "{0}.Sigmoid()"),
        Unary("Sin", a => a.Sin(), Math.Sin, "{0}.Sin()"),
        Unary("Cos", a => a.Cos(), Math.Cos, "{0}.Cos()"),
        Unary("Exp", a => a.Tanh().Exp(), v => Math.Exp(Math.Tanh(v)), "{0}.Tanh().Exp()"),
        Unary("Log", a => (a.Square() + 1).Log(), v => Math.Log(v * v + 1), "({0}.Square() + 1).Log()"),
        Unary("Sqrt", a => (a.Square() + 1).Sqrt(), v => Math.Sqrt(v * v + 1), "({0}.Square() + 1).Sqrt()"),
        Unary("Square", a => a.Square(), v => v * v, "{0}.Square()"),
        Unary("Relu", a => a.Relu(), v => Math.Max(v, 0), "{0}.Relu()", smooth: false),
        Unary("Abs", a => a.Abs(), Math.Abs, "{0}.Abs()", smooth: false),
        Unary("Identity", a => a.Identity(), v => v, "{0}.Identity()"),
        Unary("Cast", a => a.Cast(a.DType == DType.Float32 ? DType.Float64 : DType.Float32).Cast(a.DType), v => (float)v, "{0}.Cast(DType.Float32).Cast(DType.Float64)", smooth: false),
        new("Sum", 1, true, Ranked, (a, _, p) => a.Sum(Axis(a.Shape, p)), (a, _, p) => Reduce(a, [Axis(a.Shape, p)], false, 0, (u, v) => u + v),
            (a, _, s, p) => $"{a}.Sum({Axis(s, p)})"),
        new("SumKeepDims", 1, true, Any, (a, _, p) => a.Sum(null, true), (a, _, p) => Reduce(a, null, true, 0, (u, v) => u + v), (a, _, _, _) => $"{a}.Sum(null, true)"),
        new("Max", 1, true, Ranked, (a, _, p) => a.Max([Axis(a.Shape, p)]), (a, _, p) => Reduce(a, [Axis(a.Shape, p)], false, double.NegativeInfinity, Math.Max),
            (a, _, s, p) => $"{a}.Max([{Axis(s, p)}])"),
        new("Mean", 1, true, Ranked, (a, _, p) => a.Mean([Axis(a.Shape, p)]),
            (a, _, p) => Map(Reduce(a, [Axis(a.Shape, p)], false, 0, (u, v) => u + v), v => v / a.Shape[Axis(a.Shape, p)]), (a, _, s, p) => $"{a}.Mean([{Axis(s, p)}])"),
        new("Transpose", 1, true, Any, (a, _, p) => a.Transpose(Perm(a.Rank(), p)), (a, _, p) => Transpose(a, Perm(a.Rank, p)),
            (a, _, s, p) => $"{a}.Transpose({Ints(Perm(s.Rank, p))})"),
        new("Slice", 1, true, (a, _, _) => a.Size > 0, (a, _, p) => a.Slice(Block(a.Shape, p).Begin, Block(a.Shape, p).Size),
            (a, _, p) => Slice(a, Block(a.Shape, p).Begin, Block(a.Shape, p).Size), (a, _, s, p) => $"{a}.Slice([{Ints(Block(s, p).Begin)}], [{Ints(Block(s, p).Size)}])"),
        new("Concat", 2, true, (a, b, p) => a.Rank > 0 && a == b, (a, b, p) => Node.Concat([a, b!], Axis(a.Shape, p)), (a, b, p) => Concat([a, b!], Axis(a.Shape, p)),
            (a, b, s, p) => $"Node.Concat([{a}, {b}], {Axis(s, p)})"),
        new("MatMul", 2, true, (a, b, p) => a.Rank == 2 && b!.Rank == 2 && a[1] == b[0], (a, b, _) => a.MatMul(b!), (a, b, _) => MatMul(a, b!, false, false),
            (a, b, _, _) => $"{a}.MatMul({b})"),
        new("MatMulTransposed", 1, true, (a, _, _) => a.Rank == 2, (a, _, _) => a.MatMul(a, false, true), (a, _, _) => MatMul(a, a, false, true),
            (a, _, _, _) => $"{a}.MatMul({a}, false, true)"),
        new("Flatten", 1, true, Any, (a, _, _) => a.Reshape(-1), (a, _, _) => a.Reshape(a.Size), (a, _, _, _) => $"{a}.Reshape(-1)"),
        new("ExpandDims", 1, true, (a, _, _) => a.Rank < 4, (a, _, p) => a.ExpandDims(p % (a.Rank() + 1)),
            (a, _, p) => a.Reshape([.. a.Shape.Dims[..(p % (a.Rank + 1))], 1, .. a.Shape.Dims[(p % (a.Rank + 1))..]]), (a, _, s, p) => $"{a}.ExpandDims({p % (s.Rank + 1)})"),
        new("BroadcastTo", 1, true, (a, _, _) => a.Rank < 4, (a, _, p) => a.BroadcastTo(new Shape([2, .. a.Shape.Dims])),
            (a, _, _) => BroadcastTo(a, new Shape([2, .. a.Shape.Dims])), (a, _, s, _) => $"{a}.BroadcastTo(new Shape({Ints([2, .. s.Dims])}))"),
        new("Softmax", 1, true, Ranked, (a, _, p) => a.Softmax(Axis(a.Shape, p)), (a, _, p) => NNReference.Softmax(a, Axis(a.Shape, p), false),
            (a, _, s, p) => $"{a}.Softmax({Axis(s, p)})"),
        new("Conv2D", 1, true, Plane, (a, _, p) => Image(a).Conv2D(a.Graph.Constant(Filter(p).Cast(a.DType)), padding: p % 2),
            (a, _, p) => NNReference.Conv2D(Image(a), Filter(p), 1, p % 2, 1),
            (a, _, s, p) => $"{ImageCode(a, s)}.Conv2D(g.Constant(Tensor.RandomNormal(new Shape(2, 1, 2, 2), {p}, dtype: DType.Float64)), padding: {p % 2})"),
        new("AvgPool2D", 1, true, Plane, (a, _, _) => Image(a).AvgPool2D(2, 1), (a, _, _) => NNReference.Pool(Image(a), 2, 1, false),
            (a, _, s, _) => $"{ImageCode(a, s)}.AvgPool2D(2, 1)"),
        // Broadcast or concatenated operands repeat values, and a window with a tie has no derivative.
        new("MaxPool2D", 1, false, Plane, (a, _, _) => Image(a).MaxPool2D(2, 1), (a, _, _) => NNReference.Pool(Image(a), 2, 1, true),
            (a, _, s, _) => $"{ImageCode(a, s)}.MaxPool2D(2, 1)"),
        new("Gather", 1, true, Ranked, (a, _, p) => a.Gather(a.Graph.Constant(Ids(a.Shape[0], p).Cast(a.DType))),
            (a, _, p) => NNReference.Gather(a, Ids(a.Shape[0], p)), (a, _, s, p) => $"{a}.Gather(g.Constant(Tensor.FromArray(new double[] {{ {Ints(Ids(s[0], p).ToArray<double>().Select(v => (int)v).ToArray())} }}, 3)))"),
        new("SoftmaxCrossEntropy", 1, true, (a, _, _) => a.Rank == 2, (a, _, p) => Node.SoftmaxCrossEntropy(a, a.Graph.Constant(Ids(a.Shape[1], p, a.Shape[0]).Cast(a.DType))),
            (a, _, p) => NNReference.SoftmaxCrossEntropy(a, Ids(a.Shape[1], p, a.Shape[0])),
            (a, _, s, p) => $"Node.SoftmaxCrossEntropy({a}, g.Constant(Tensor.FromArray(new double[] {{ {Ints(Ids(s[1], p, s[0]).ToArray<double>().Select(v => (int)v).ToArray())} }}, {s[0]})))"),
        Binary("SigmoidCrossEntropy", (a, b) => Node.SigmoidCrossEntropy(a, b.Sigmoid()),
            (u, v) => Math.Max(u, 0) - u * Sigmoid(v) + Math.Log(1 + Math.Exp(-Math.Abs(u))), "Node.SigmoidCrossEntropy({0}, {1}.Sigmoid())"),
        new("LogSoftmax", 1, true, Ranked, (a, _, p) => a.LogSoftmax(Axis(a.Shape, p)), (a, _, p) => NNReference.Softmax(a, Axis(a.Shape, p), true),
            (a, _, s, p) => $"{a}.LogSoftmax({Axis(s, p)})"),
    ];
}

internal static class NodeRank
{
    public static int Rank(this Node n) => n.Shape.Rank;
}
