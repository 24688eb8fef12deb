using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>
/// Rows over awkward layouts: rank 0, size-1 and size-0 axes, strided inner axes (a transposed or sliced
/// operand feeding the op), and broadcasting over several axes at once.
/// </summary>
internal static class LayoutOpCases
{
    private static Input In(params int[] dims) => new(new Shape(dims), S.Normal);
    private static Input In(Sampler s, params int[] dims) => new(new Shape(dims), s);
    private static Input Const(Sampler s, params int[] dims) => new(new Shape(dims), s, Differentiable: false);
    private static Tensor Sum(Tensor x, int[]? axes, bool keep = false) => Reduce(x, axes, keep, 0, (a, b) => a + b);

    public static IEnumerable<OpCase> All()
    {
        // Rank 0.
        yield return new("Exp of a scalar", typeof(ExpOp), [In()], c => c.X[0].Exp(), x => Map(x[0], Math.Exp));
        yield return new("Mul scalar*scalar", typeof(MulOp), [In(), In()], c => c.X[0] * c.X[1], x => Zip(x[0], x[1], (a, b) => a * b));
        yield return new("Sum of a scalar", typeof(SumOp), [In()], c => c.X[0].Sum(), x => x[0]);
        yield return new("Reshape scalar to [1,1]", typeof(ReshapeOp), [In()], c => c.X[0].Reshape(1, 1), x => x[0].Reshape(1, 1));
        yield return new("BroadcastTo from a scalar", typeof(BroadcastToOp), [In()], c => c.X[0].BroadcastTo(new Shape(2, 3)), x => BroadcastTo(x[0], new Shape(2, 3)));
        yield return new("Slice of a scalar", typeof(SliceOp), [In()], c => c.X[0].Slice([], []), x => x[0]);
        yield return new("Transpose of a scalar", typeof(TransposeOp), [In()], c => c.X[0].Transpose(), x => x[0]);
        yield return new("Pad of a scalar", typeof(PadOp), [In(), Const(S.Normal)], c => c.Graph.Apply(new PadOp([]), [c.X[0], c.X[1]]), x => x[0]);
        yield return new("Slice of [1] to a rank-1 block", typeof(SliceOp), [In(1)], c => c.X[0].Slice([0], [1]), x => Slice(x[0], [0], [1]));

        // Size-1 axes.
        yield return new("Sum over a size-1 axis", typeof(SumOp), [In(3, 1, 2)], c => c.X[0].Sum(1), x => Sum(x[0], [1]));
        yield return new("Max over a size-1 axis", typeof(MaxOp), [In(3, 1)], c => c.X[0].Max([1]), x => Reduce(x[0], [1], false, double.NegativeInfinity, Math.Max));
        yield return new("Transpose [1,3,1]", typeof(TransposeOp), [In(1, 3, 1)], c => c.X[0].Transpose(2, 1, 0), x => Transpose(x[0], [2, 1, 0]));
        yield return new("MatMul [1,1]x[1,4]", typeof(MatMulOp), [In(1, 1), In(1, 4)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));
        yield return new("MatMul [3,1]x[1,1]", typeof(MatMulOp), [In(3, 1), In(1, 1)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));
        yield return new("Softmax over a size-1 axis", typeof(SoftmaxOp), [In(3, 1)], c => c.X[0].Softmax(), x => NNReference.Softmax(x[0], 1, false));

        // Size-0 axes: empty results, and sums over nothing are zeros.
        yield return new("Add [0,3]+[3]", typeof(AddOp), [In(0, 3), In(3)], c => c.X[0] + c.X[1], x => Zip(x[0], x[1], (a, b) => a + b));
        yield return new("Exp of [2,0]", typeof(ExpOp), [In(2, 0)], c => c.X[0].Exp(), x => Map(x[0], Math.Exp));
        yield return new("Sum over an empty axis", typeof(SumOp), [In(0, 3)], c => c.X[0].Sum(0), x => Sum(x[0], [0]));
        yield return new("MatMul [2,0]x[0,3]", typeof(MatMulOp), [In(2, 0), In(0, 3)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));
        yield return new("MatMul [0,2]x[2,3]", typeof(MatMulOp), [In(0, 2), In(2, 3)], c => c.X[0].MatMul(c.X[1]), x => MatMul(x[0], x[1], false, false));
        yield return new("Concat with an empty input", typeof(ConcatOp), [In(2, 0), In(2, 3)], c => Node.Concat(c.X, 1), x => Concat(x, 1));
        yield return new("Reshape [0,3] to [3,0]", typeof(ReshapeOp), [In(0, 3)], c => c.X[0].Reshape(3, 0), x => x[0].Reshape(3, 0));
        yield return new("Slice to an empty block", typeof(SliceOp), [In(3, 4)], c => c.X[0].Slice([1, 2], [2, 0]), x => Slice(x[0], [1, 2], [2, 0]));
        yield return new("Slice of [0,3]", typeof(SliceOp), [In(0, 3)], c => c.X[0].Slice([0, 1], [0, 2]), x => Slice(x[0], [0, 1], [0, 2]));
        yield return new("Transpose [0,3]", typeof(TransposeOp), [In(0, 3)], c => c.X[0].Transpose(), x => Transpose(x[0], [1, 0]));

        // Strided inner axes: the op reads a transposed or sliced operand.
        yield return new("Add of a transposed operand", typeof(AddOp), [In(3, 2), In(2, 3)], c => c.X[0].Transpose() + c.X[1],
            x => Zip(Transpose(x[0], [1, 0]), x[1], (a, b) => a + b));
        yield return new("Sum over the middle axis of a transpose", typeof(SumOp), [In(4, 2, 3)], c => c.X[0].Transpose(2, 0, 1).Sum(1),
            x => Sum(Transpose(x[0], [2, 0, 1]), [1]));
        yield return new("MatMul of column slices", typeof(MatMulOp), [In(3, 4), In(4, 3)],
            c => c.X[0].Slice([0, 1], [3, 2]).MatMul(c.X[1].Slice([1, 0], [2, 1])),
            x => MatMul(Slice(x[0], [0, 1], [3, 2]), Slice(x[1], [1, 0], [2, 1]), false, false));
        yield return new("Slice of a transpose", typeof(SliceOp), [In(3, 5)], c => c.X[0].Transpose().Slice([1, 0], [3, 2]),
            x => Slice(Transpose(x[0], [1, 0]), [1, 0], [3, 2]));
        yield return new("Transpose of a middle slab", typeof(TransposeOp), [In(2, 5, 3)], c => c.X[0].Slice([0, 1, 1], [2, 3, 1]).Transpose(1, 2, 0),
            x => Transpose(Slice(x[0], [0, 1, 1], [2, 3, 1]), [1, 2, 0]));

        // Broadcasting over several axes at once.
        yield return new("Mul [2,1,3]*[4,1]", typeof(MulOp), [In(2, 1, 3), In(4, 1)], c => c.X[0] * c.X[1], x => Zip(x[0], x[1], (a, b) => a * b));
        yield return new("Sub [1,4,1]-[3,1,2]", typeof(SubOp), [In(1, 4, 1), In(3, 1, 2)], c => c.X[0] - c.X[1], x => Zip(x[0], x[1], (a, b) => a - b));
        yield return new("Where with a broadcast mask", typeof(WhereOp), [Const(S.Mask, 2, 1), In(1, 3), In(2, 3)],
            c => Node.Where(c.X[0], c.X[1], c.X[2]), x => Zip3(x[0], x[1], x[2], (m, a, b) => m != 0 ? a : b));
        yield return new("Maximum [3,1] vs [2,1,4]", typeof(MaximumOp), [In(S.Distinct(0), 3, 1), In(S.Distinct(0.2), 2, 1, 4)],
            c => Node.Maximum(c.X[0], c.X[1]), x => Zip(x[0], x[1], Math.Max));
    }
}
