using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>The op table rows for the neural-network ops, with naive references in <see cref="NNReference"/>.</summary>
internal static class NNOpCases
{
    private static Input In(params int[] dims) => new(new Shape(dims), S.Normal);
    private static Input In(Sampler s, params int[] dims) => new(new Shape(dims), s);
    private static Input Const(Sampler s, params int[] dims) => new(new Shape(dims), s, Differentiable: false);

    /// <summary>Integer ids in [0, count) stored as floats.</summary>
    private static Sampler Ids(int count) => (r, n) => Enumerable.Range(0, n).Select(_ => (double)r.Next(count)).ToArray();

    public static IEnumerable<OpCase> All()
    {
        // Softmax family.
        yield return new("Softmax last axis", typeof(SoftmaxOp), [In(3, 4)], c => c.X[0].Softmax(), x => NNReference.Softmax(x[0], 1, false));
        yield return new("Softmax axis 1 of 3", typeof(SoftmaxOp), [In(2, 3, 2)], c => c.X[0].Softmax(1), x => NNReference.Softmax(x[0], 1, false));
        yield return new("LogSoftmax last axis", typeof(LogSoftmaxOp), [In(3, 4)], c => c.X[0].LogSoftmax(), x => NNReference.Softmax(x[0], 1, true));
        yield return new("LogSoftmax axis 0", typeof(LogSoftmaxOp), [In(3, 2)], c => c.X[0].LogSoftmax(0), x => NNReference.Softmax(x[0], 0, true));
        yield return new("SoftmaxCrossEntropy", typeof(SoftmaxCrossEntropyOp), [In(4, 5), Const(Ids(5), 4)],
            c => Node.SoftmaxCrossEntropy(c.X[0], c.X[1]), x => NNReference.SoftmaxCrossEntropy(x[0], x[1]));
        yield return new("SoftmaxCrossEntropy unknown batch", typeof(SoftmaxCrossEntropyOp),
            [new(new Shape(3, 4), S.Normal, Declared: new Shape(-1, 4)), new(new Shape(3), Ids(4), false, new Shape(-1))],
            c => Node.SoftmaxCrossEntropy(c.X[0], c.X[1]), x => NNReference.SoftmaxCrossEntropy(x[0], x[1]));
        yield return new("SigmoidCrossEntropy [2,3],[3]", typeof(SigmoidCrossEntropyOp), [In(2, 3), In((r, n) => S.Positive(r, n).Select(v => v / 2).ToArray(), 3)],
            c => Node.SigmoidCrossEntropy(c.X[0], c.X[1]),
            x => Zip(x[0], x[1], (a, t) => -(t * Math.Log(1 / (1 + Math.Exp(-a))) + (1 - t) * Math.Log(1 - 1 / (1 + Math.Exp(-a))))));

        // Indexing.
        yield return new("OneHot", typeof(OneHotOp), [In(Ids(4), 2, 3)], c => c.X[0].OneHot(4), x => NNReference.OneHot(x[0], 4), GradKind.None);
        yield return new("Gather rows", typeof(GatherOp), [In(4, 3), Const(Ids(4), 5)], c => c.X[0].Gather(c.X[1]), x => NNReference.Gather(x[0], x[1]));
        yield return new("Gather with matrix ids", typeof(GatherOp), [In(5, 2), Const(Ids(5), 2, 3)], c => c.X[0].Gather(c.X[1]), x => NNReference.Gather(x[0], x[1]));
        yield return new("ScatterAdd", typeof(ScatterAddOp), [In(5, 3), Const(Ids(4), 5), Const(S.Normal, 4, 3)],
            c => c.Graph.Apply(new ScatterAddOp(), [c.X[0], c.X[1], c.X[2]]), x => NNReference.ScatterAdd(x[0], x[1], x[2].Shape));
    }
}

/// <summary>Naive references of the neural-network ops: index loops over float64 tensors.</summary>
internal static class NNReference
{
    public static Tensor Softmax(Tensor x, int axis, bool log)
    {
        var max = Reduce(x, [axis], true, double.NegativeInfinity, Math.Max);
        var sum = Reduce(Zip(x, max, (a, m) => Math.Exp(a - m)), [axis], true, 0, (a, b) => a + b);
        return Zip3(x, max, sum, (a, m, s) => log ? a - m - Math.Log(s) : Math.Exp(a - m) / s);
    }

    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels)
    {
        var logp = Softmax(logits, 1, true);
        var z = New(labels.Shape);
        for (int i = 0; i < labels.Size; i++) z[i] = -logp[i, (int)labels[i]];
        return z;
    }

    public static Tensor OneHot(Tensor ids, int depth)
    {
        var z = New(new Shape([.. ids.Shape.Dims, depth]));
        foreach (var i in Indices(ids.Shape)) z[[.. i, (int)ids[i]]] = 1;
        return z;
    }

    public static Tensor Gather(Tensor table, Tensor ids)
    {
        var z = New(new Shape([.. ids.Shape.Dims, .. table.Shape.Dims[1..]]));
        foreach (var i in Indices(z.Shape)) z[i] = table[[(int)ids[i[..ids.Rank]], .. i[ids.Rank..]]];
        return z;
    }

    public static Tensor ScatterAdd(Tensor updates, Tensor ids, Shape table)
    {
        var z = New(table);
        foreach (var i in Indices(updates.Shape)) z[[(int)ids[i[..ids.Rank]], .. i[ids.Rank..]]] += updates[i];
        return z;
    }
}
