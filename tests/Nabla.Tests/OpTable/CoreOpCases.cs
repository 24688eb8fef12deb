using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>The op table rows for the core ops. Other op families add their rows in files of their own.</summary>
internal static class CoreOpCases
{
    private static Input In(params int[] dims) => new(new Shape(dims), S.Normal);
    private static Input In(Sampler s, params int[] dims) => new(new Shape(dims), s);
    private static Input Const(Sampler s, params int[] dims) => new(new Shape(dims), s, Differentiable: false);
    private static Tensor Fixed(DType dtype, params double[] values) => Tensor.FromArray(values).Cast(dtype);

    private static OpCase Unary<TOp>(string name, Func<Node, Node> build, Func<double, double> f, Sampler? s = null, GradKind grad = GradKind.Checked) =>
        new(name, typeof(TOp), [In(s ?? S.Normal, 2, 3)], c => build(c.X[0]), x => Map(x[0], f), grad);

    private static OpCase Binary<TOp>(string name, Func<Node, Node, Node> build, Func<double, double, double> f, Input a, Input b, GradKind grad = GradKind.Checked) =>
        new(name, typeof(TOp), [a, b], c => build(c.X[0], c.X[1]), x => Zip(x[0], x[1], f), grad);

    public static IEnumerable<OpCase> All()
    {
        // Arithmetic, with broadcasting in both directions.
        yield return Binary<AddOp>("Add [3,1]+[1,4]", (x, y) => x + y, (a, b) => a + b, In(3, 1), In(1, 4)).AtSpecialValues();
        yield return Binary<AddOp>("Add [2,3]+scalar", (x, y) => x + y, (a, b) => a + b, In(2, 3), In()).AtSpecialValues();
        yield return Binary<SubOp>("Sub [2,3]-[3]", (x, y) => x - y, (a, b) => a - b, In(2, 3), In(3)).AtSpecialValues();
        yield return Binary<MulOp>("Mul [3,1]*[1,4]", (x, y) => x * y, (a, b) => a * b, In(3, 1), In(1, 4)).AtSpecialValues();
        yield return Binary<DivOp>("Div [2,3]/[3]", (x, y) => x / y, (a, b) => a / b, In(2, 3), In(S.AwayFromZero, 3)).AtSpecialValues();
        yield return Binary<PowOp>("Pow [2,3]^[3]", Node.Pow, Math.Pow, In(S.Positive, 2, 3), In(3)).AtSpecialValues();
        yield return Binary<MaximumOp>("Maximum", Node.Maximum, Math.Max, In(S.Distinct(0), 2, 3), In(S.Distinct(0.2), 2, 3)).AtSpecialValues();
        yield return Binary<MinimumOp>("Minimum [2,3],[3]", Node.Minimum, Math.Min, In(S.Distinct(0), 2, 3), In(S.Distinct(0.2), 3)).AtSpecialValues();
        yield return Unary<NegOp>("Neg", x => -x, a => -a).AtSpecialValues();

        // Comparisons: 1 or 0, no gradient.
        yield return Binary<GreaterOp>("Greater", (x, y) => x.Greater(y), (a, b) => a > b ? 1 : 0, In(S.SmallIntegers, 2, 3), In(S.SmallIntegers, 3), GradKind.None).AtSpecialValues();
        yield return Binary<GreaterEqualOp>("GreaterEqual", (x, y) => x.GreaterEqual(y), (a, b) => a >= b ? 1 : 0, In(S.SmallIntegers, 2, 3), In(S.SmallIntegers, 3), GradKind.None).AtSpecialValues();
        yield return Binary<LessOp>("Less", (x, y) => x.Less(y), (a, b) => a < b ? 1 : 0, In(S.SmallIntegers, 2, 3), In(S.SmallIntegers, 3), GradKind.None).AtSpecialValues();
        yield return Binary<LessEqualOp>("LessEqual", (x, y) => x.LessEqual(y), (a, b) => a <= b ? 1 : 0, In(S.SmallIntegers, 2, 3), In(S.SmallIntegers, 3), GradKind.None).AtSpecialValues();
        yield return Binary<EqualOp>("Equal", (x, y) => x.Equal(y), (a, b) => a == b ? 1 : 0, In(S.SmallIntegers, 2, 3), In(S.SmallIntegers, 3), GradKind.None).AtSpecialValues();
        yield return Binary<NotEqualOp>("NotEqual", (x, y) => x.NotEqual(y), (a, b) => a != b ? 1 : 0, In(S.SmallIntegers, 2, 3), In(S.SmallIntegers, 3), GradKind.None).AtSpecialValues();

        // Elementwise functions.
        yield return Unary<ExpOp>("Exp", x => x.Exp(), Math.Exp).AtSpecialValues();
        yield return Unary<LogOp>("Log", x => x.Log(), Math.Log, S.Positive).AtSpecialValues();
        yield return Unary<SqrtOp>("Sqrt", x => x.Sqrt(), Math.Sqrt, S.Positive).AtSpecialValues();
        yield return Unary<SquareOp>("Square", x => x.Square(), a => a * a).AtSpecialValues();
        yield return Unary<SinOp>("Sin", x => x.Sin(), Math.Sin).AtSpecialValues();
        yield return Unary<CosOp>("Cos", x => x.Cos(), Math.Cos).AtSpecialValues();
        yield return Unary<TanhOp>("Tanh", x => x.Tanh(), Math.Tanh).AtSpecialValues();
        yield return Unary<SigmoidOp>("Sigmoid", x => x.Sigmoid(), a => 1 / (1 + Math.Exp(-a))).AtSpecialValues();
        yield return Unary<ReluOp>("Relu", x => x.Relu(), a => Math.Max(a, 0), S.AwayFromZero).AtSpecialValues();
        yield return Unary<AbsOp>("Abs", x => x.Abs(), Math.Abs, S.AwayFromZero).AtSpecialValues();
        yield return Unary<SignOp>("Sign", x => x.Sign(), a => double.IsNaN(a) ? double.NaN : Math.Sign(a), S.AwayFromZero, GradKind.None).AtSpecialValues();
        yield return Unary<IdentityOp>("Identity", x => x.Identity(), a => a).AtSpecialValues();
        yield return Unary<CheckNumericsOp>("CheckNumerics", x => x.CheckNumerics("checked"), a => a);
        yield return Unary<StopGradientOp>("StopGradient", x => x.StopGradient(), a => a, grad: GradKind.None);
        yield return new("Where", typeof(WhereOp), [Const(S.Mask, 2, 3), In(2, 3), In(3)],
            c => Node.Where(c.X[0], c.X[1], c.X[2]), x => Zip3(x[0], x[1], x[2], (m, a, b) => m != 0 ? a : b));

        // Reductions.
        yield return new("Sum all", typeof(SumOp), [In(2, 3)], c => c.X[0].Sum(), x => Reduce(x[0], null, false, 0, (a, b) => a + b));
        yield return new("Sum axis 1", typeof(SumOp), [In(2, 3, 2)], c => c.X[0].Sum(1), x => Reduce(x[0], [1], false, 0, (a, b) => a + b));
        yield return new("Sum axes 0,2 keepDims", typeof(SumOp), [In(2, 3, 2)], c => c.X[0].Sum([0, -1], true), x => Reduce(x[0], [0, 2], true, 0, (a, b) => a + b));
        yield return new OpCase("Max all", typeof(MaxOp), [In(S.Distinct(0), 2, 3)], c => c.X[0].Max(), x => Reduce(x[0], null, false, double.NegativeInfinity, Math.Max)).AtSpecialValues();
        yield return new OpCase("Max axis 1", typeof(MaxOp), [In(S.Distinct(0), 2, 3)], c => c.X[0].Max([1]), x => Reduce(x[0], [1], false, double.NegativeInfinity, Math.Max)).AtSpecialValues();
        yield return new("Mean axis 0 (composite)", typeof(MulOp), [In(2, 3)], c => c.X[0].Mean([0]), x => Map(Reduce(x[0], [0], false, 0, (a, b) => a + b), v => v / 2));
        yield return new("Mean over an unknown batch", typeof(MulOp), [new(new Shape(4, 3), S.Normal, Declared: new Shape(-1, 3))],
            c => c.X[0].Mean([0]), x => Map(Reduce(x[0], [0], false, 0, (a, b) => a + b), v => v / 4));
        yield return new("SizeRatio", typeof(SizeRatioOp), [In(2, 3), In(3, 4)],
            c => c.Graph.Apply(new SizeRatioOp(), [c.X[0], c.X[1]]), x => Tensor.Scalar(0.5, DType.Float64), GradKind.None);

        // Shapes and data movement.
        yield return new("Reshape", typeof(ReshapeOp), [In(2, 3)], c => c.X[0].Reshape(3, -1), x => x[0].Reshape(3, 2));
        yield return new("ReshapeLike unknown", typeof(ReshapeOp), [In(2, 3), new(new Shape(3, 2), S.Normal, false, Shape.Unknown)],
            c => c.X[0].ReshapeLike(c.X[1]), x => x[0].Reshape(3, 2));
        yield return new("ExpandDims", typeof(ExpandDimsOp), [In(2, 3)], c => c.X[0].ExpandDims(1), x => x[0].Reshape(2, 1, 3));
        yield return new("Transpose", typeof(TransposeOp), [In(2, 3, 4)], c => c.X[0].Transpose(2, 0, 1), x => Transpose(x[0], [2, 0, 1]));
        yield return new("Transpose matrix", typeof(TransposeOp), [In(2, 3)], c => c.X[0].Transpose(), x => Transpose(x[0], [1, 0]));
        yield return new("BroadcastTo", typeof(BroadcastToOp), [In(3, 1)], c => c.X[0].BroadcastTo(new Shape(2, 3, 4)), x => BroadcastTo(x[0], new Shape(2, 3, 4)));
        yield return new("BroadcastTo like unknown", typeof(BroadcastToOp), [In(3, 1), new(new Shape(2, 3, 4), S.Normal, false, Shape.Unknown)],
            c => AD.BroadcastLike(c.X[0], c.X[1])!, x => BroadcastTo(x[0], new Shape(2, 3, 4)));
        yield return new("SumTo", typeof(SumToOp), [In(2, 3, 4), Const(S.Normal, 3, 1)], c => c.X[0].SumTo(c.X[1]), x => SumTo(x[0], new Shape(3, 1)));
        yield return new("Slice", typeof(SliceOp), [In(3, 4)], c => c.X[0].Slice([1, 1], [2, -1]), x => Slice(x[0], [1, 1], [2, -1]));
        yield return new("Slice like", typeof(SliceOp), [In(3, 4), Const(S.Normal, 2, 2)],
            c => c.Graph.Apply(new SliceOp([1, 2], null), [c.X[0], c.X[1]]), x => Slice(x[0], [1, 2], [2, 2]));
        yield return new("Pad", typeof(PadOp), [In(2, 3), Const(S.Normal, 4, 3)],
            c => c.Graph.Apply(new PadOp([1, 0]), [c.X[0], c.X[1]]), x => Pad(x[0], [1, 0], new Shape(4, 3)));
        // A slice whose rows run along a strided axis (one column): the later axes coalesce away.
        yield return new("Slice one column", typeof(SliceOp), [In(4, 3)], c => c.X[0].Slice([0, 1], [4, 1]), x => Slice(x[0], [0, 1], [4, 1]));
        yield return new("Slice column of rank 3", typeof(SliceOp), [In(2, 3, 4)], c => c.X[0].Slice([0, 1, 2], [2, 2, 1]), x => Slice(x[0], [0, 1, 2], [2, 2, 1]));
        yield return new("Pad one column", typeof(PadOp), [In(4, 1), Const(S.Normal, 4, 3)],
            c => c.Graph.Apply(new PadOp([0, 2]), [c.X[0], c.X[1]]), x => Pad(x[0], [0, 2], new Shape(4, 3)));
        yield return new("Concat columns", typeof(ConcatOp), [In(4, 1), In(4, 2), In(4, 1)], c => Node.Concat(c.X, 1), x => Concat(x, 1));
        yield return new("Concat axis 1", typeof(ConcatOp), [In(2, 3), In(2, 2)], c => Node.Concat([c.X[0], c.X[1]], 1), x => Concat([x[0], x[1]], 1));
        yield return new("Concat axis 0 of three", typeof(ConcatOp), [In(1, 3), In(2, 3), In(1, 3)], c => Node.Concat(c.X, 0), x => Concat(x, 0));

        // Matrix multiply: transposes and batch broadcasting.
        yield return new("MatMul", typeof(MatMulOp), [In(2, 3), In(3, 4)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));
        yield return new("MatMul transposeA", typeof(MatMulOp), [In(3, 2), In(3, 4)], c => c.X[0].MatMul(c.X[1], true, false), x => MatMul(x[0], x[1], true, false));
        yield return new("MatMul transposeB", typeof(MatMulOp), [In(2, 3), In(4, 3)], c => c.X[0].MatMul(c.X[1], false, true), x => MatMul(x[0], x[1], false, true));
        yield return new("MatMul both transposed", typeof(MatMulOp), [In(3, 2), In(4, 3)], c => c.X[0].MatMul(c.X[1], true, true), x => MatMul(x[0], x[1], true, true));
        yield return new("MatMul batched", typeof(MatMulOp), [In(2, 2, 3), In(3, 4)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));
        yield return new("MatMul batch broadcast", typeof(MatMulOp), [In(2, 1, 2, 3), In(3, 3, 2)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));

        // Dtypes, fills, state, sources.
        yield return new OpCase("Cast round trip", typeof(CastOp), [In(2, 3)], c => c.X[0].Cast(c.DType == DType.Float32 ? DType.Float64 : DType.Float32).Cast(c.DType),
            x => Map(x[0], v => (float)v), Step: 1e-2, Tolerance: 1e-4).AtSpecialValues();
        yield return new("OnesLike", typeof(FillLikeOp), [In(2, 3)], c => c.X[0].OnesLike(), x => Map(x[0], _ => 1), GradKind.None);
        yield return new("ZerosLike", typeof(FillLikeOp), [In(2, 3)], c => c.X[0].ZerosLike(), x => Map(x[0], _ => 0), GradKind.None);
        yield return new("Assign", typeof(AssignOp), [In(2, 3)],
            c => c.Graph.Variable("v", Tensor.Zeros(new Shape(2, 3), c.DType)).Assign(c.X[0]), x => x[0], GradKind.Throws);
        yield return new("Group", typeof(GroupOp), [In(2, 3)], c => c.Graph.Group(c.X[0]), x => Tensor.Scalar(0, DType.Float64), GradKind.None);
        yield return new("Placeholder", typeof(PlaceholderOp), [In(2, 3)], c => c.X[0], x => x[0]);
        yield return new("Constant", typeof(ConstantOp), [], c => c.Graph.Constant(Fixed(c.DType, 1, -2, 3)), x => Fixed(DType.Float64, 1, -2, 3), GradKind.None);
        yield return new("Variable", typeof(VariableOp), [], c => c.Graph.Variable("w", Fixed(c.DType, 4, 5)), x => Fixed(DType.Float64, 4, 5), GradKind.None);
    }
}
