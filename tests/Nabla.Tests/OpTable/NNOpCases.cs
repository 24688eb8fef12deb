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
        yield return new("Softmax many short rows (attention scores)", typeof(SoftmaxOp), [In(2, 2, 3, 16)], c => c.X[0].Softmax(), x => NNReference.Softmax(x[0], 3, false));
        yield return new("Softmax rows of 70", typeof(SoftmaxOp), [In(2, 70)], c => c.X[0].Softmax(), x => NNReference.Softmax(x[0], 1, false));
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

        // Convolution: stride, padding, dilation, an unknown batch, and both adjoints as ops of their own.
        yield return Conv("Conv2D", 1, 0, 1, In(2, 2, 5, 5), In(3, 2, 3, 3));
        yield return Conv("Conv2D stride 2 padding 1", 2, 1, 1, In(2, 2, 5, 5), In(3, 2, 3, 3));
        yield return Conv("Conv2D dilation 2 padding 1", 1, 1, 2, In(2, 2, 5, 5), In(3, 2, 3, 3));
        yield return Conv("Conv2D stride 2 uneven 6x5 kernel 3x2", 2, 0, 1, In(1, 2, 6, 5), In(2, 2, 3, 2));
        yield return Conv("Conv2D 1x1", 1, 0, 1, In(2, 3, 3, 4), In(2, 3, 1, 1));
        yield return Conv("Conv2D unknown batch", 1, 1, 1, new(new Shape(3, 1, 4, 4), S.Normal, Declared: new Shape(-1, 1, 4, 4)), In(2, 1, 3, 3));
        yield return new("Conv2DBackpropInput stride 2 padding 1", typeof(Conv2DBackpropInputOp), [In(2, 3, 3, 3), In(3, 2, 3, 3), Const(S.Normal, 2, 2, 5, 5)],
            c => Node.Conv2DBackpropInput(c.X[0], c.X[1], c.X[2], 2, 1, 1), x => NNReference.Conv2DBackpropInput(x[0], x[1], x[2].Shape, 2, 1, 1));
        yield return new("Conv2DBackpropInput dilation 2", typeof(Conv2DBackpropInputOp), [In(2, 3, 1, 1), In(3, 2, 3, 3), Const(S.Normal, 2, 2, 5, 5)],
            c => Node.Conv2DBackpropInput(c.X[0], c.X[1], c.X[2], 1, 0, 2), x => NNReference.Conv2DBackpropInput(x[0], x[1], x[2].Shape, 1, 0, 2));
        yield return new("Conv2DBackpropFilter padding 1", typeof(Conv2DBackpropFilterOp), [In(2, 2, 5, 5), In(2, 3, 5, 5), Const(S.Normal, 3, 2, 3, 3)],
            c => Node.Conv2DBackpropFilter(c.X[0], c.X[1], c.X[2], 1, 1, 1), x => NNReference.Conv2DBackpropFilter(x[0], x[1], x[2].Shape, 1, 1, 1));
        yield return new("Conv2DBackpropFilter stride 2 uneven", typeof(Conv2DBackpropFilterOp), [In(2, 2, 6, 6), In(2, 3, 2, 2), Const(S.Normal, 3, 2, 3, 3)],
            c => Node.Conv2DBackpropFilter(c.X[0], c.X[1], c.X[2], 2, 0, 1), x => NNReference.Conv2DBackpropFilter(x[0], x[1], x[2].Shape, 2, 0, 1));

        // Pooling: distinct inputs so that no window has a tie.
        yield return new("MaxPool2D 2/2", typeof(MaxPool2DOp), [In(S.Distinct(0), 2, 2, 4, 4)], c => c.X[0].MaxPool2D(2, 2), x => NNReference.Pool(x[0], 2, 2, true));
        yield return new("MaxPool2D 3/2 overlapping", typeof(MaxPool2DOp), [In(S.Distinct(0), 1, 2, 5, 5)], c => c.X[0].MaxPool2D(3, 2), x => NNReference.Pool(x[0], 3, 2, true));
        yield return new("MaxPool2D unknown batch", typeof(MaxPool2DOp), [new(new Shape(2, 1, 4, 4), S.Distinct(0), Declared: new Shape(-1, 1, 4, 4))],
            c => c.X[0].MaxPool2D(2, 2), x => NNReference.Pool(x[0], 2, 2, true));
        yield return new("AvgPool2D unknown batch", typeof(AvgPool2DOp), [new(new Shape(2, 1, 4, 4), S.Normal, Declared: new Shape(-1, 1, 4, 4))],
            c => c.X[0].AvgPool2D(2, 2), x => NNReference.Pool(x[0], 2, 2, false));
        yield return new("MaxPool2DGrad", typeof(MaxPool2DGradOp), [In(S.Distinct(0), 1, 2, 5, 5), In(1, 2, 2, 2)],
            c => Node.MaxPool2DGrad(c.X[0], c.X[1], 3, 2), x => NNReference.MaxPoolGrad(x[0], x[1], 3, 2));
        yield return new("MaxPool2DGrad 2/2 with uncovered edges", typeof(MaxPool2DGradOp), [In(S.Distinct(0), 2, 1, 5, 5), In(2, 1, 2, 2)],
            c => Node.MaxPool2DGrad(c.X[0], c.X[1], 2, 2), x => NNReference.MaxPoolGrad(x[0], x[1], 2, 2));
        yield return new("MaxPool2DGradGrad", typeof(MaxPool2DGradGradOp), [In(S.Distinct(0), 1, 2, 5, 5), In(1, 2, 5, 5)],
            c => Node.MaxPool2DGradGrad(c.X[0], c.X[1], 3, 2), x => NNReference.MaxPoolSelect(x[0], x[1], 3, 2));
        yield return new("AvgPool2D 2/2", typeof(AvgPool2DOp), [In(2, 2, 4, 4)], c => c.X[0].AvgPool2D(2, 2), x => NNReference.Pool(x[0], 2, 2, false));
        yield return new("AvgPool2D 3/2 overlapping", typeof(AvgPool2DOp), [In(1, 2, 5, 5)], c => c.X[0].AvgPool2D(3, 2), x => NNReference.Pool(x[0], 3, 2, false));
        yield return new("AvgPool2DGrad", typeof(AvgPool2DGradOp), [In(1, 2, 2, 2), Const(S.Normal, 1, 2, 5, 5)],
            c => Node.AvgPool2DGrad(c.X[0], c.X[1], 3, 2), x => NNReference.AvgPoolGrad(x[0], x[1].Shape, 3, 2));

        // Dropout's mask: the first draw of a fresh node, recomputed by the reference generator. Variance (composite).
        yield return new("DropoutMask", typeof(DropoutMaskOp), [In(4, 8)],
            c => c.Graph.Apply(new DropoutMaskOp(0.25, 42), [c.X[0]]), x => NNReference.DropoutMask(x[0].Shape, 0.25, 42, 0), GradKind.None);
        yield return new("Variance axes 0,2 (composite)", typeof(MulOp), [In(3, 2, 4)], c => c.X[0].Variance([0, 2]), x => NNReference.Variance(x[0], [0, 2]));
        yield return new("Variance all keepDims (composite)", typeof(MulOp), [In(2, 3)], c => c.X[0].Variance(null, true), x => NNReference.Variance(x[0], null).Reshape(1, 1));
    }

    private static OpCase Conv(string name, int stride, int padding, int dilation, Input x, Input f) =>
        new(name, typeof(Conv2DOp), [x, f], c => c.X[0].Conv2D(c.X[1], stride, padding, dilation), v => NNReference.Conv2D(v[0], v[1], stride, padding, dilation));
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

    private static int OutSize(int size, int k, int s, int p, int d) => (size + 2 * p - d * (k - 1) - 1) / s + 1;

    /// <summary>The direct seven-loop convolution (cross-correlation) with zero padding.</summary>
    public static Tensor Conv2D(Tensor x, Tensor f, int s, int p, int d)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3], o = f.Shape[0], kh = f.Shape[2], kw = f.Shape[3];
        int oh = OutSize(h, kh, s, p, d), ow = OutSize(w, kw, s, p, d);
        var y = New(new Shape(n, o, oh, ow));
        for (int b = 0; b < n; b++)
            for (int k = 0; k < o; k++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = 0;
                        for (int ch = 0; ch < c; ch++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                {
                                    int r = i * s - p + u * d, q = j * s - p + v * d;
                                    if (r >= 0 && r < h && q >= 0 && q < w) sum += f[k, ch, u, v] * x[b, ch, r, q];
                                }
                        y[b, k, i, j] = sum;
                    }
        return y;
    }

    /// <summary>dx[b, ch, r, q] = Σ dy[b, k, i, j]·f[k, ch, u, v] over the taps that read x[b, ch, r, q].</summary>
    public static Tensor Conv2DBackpropInput(Tensor dy, Tensor f, Shape xShape, int s, int p, int d)
    {
        var dx = New(xShape);
        ForEachTap(xShape, f.Shape, s, p, d, (b, k, i, j, ch, u, v, r, q) => dx[b, ch, r, q] += dy[b, k, i, j] * f[k, ch, u, v]);
        return dx;
    }

    /// <summary>df[k, ch, u, v] = Σ dy[b, k, i, j]·x[b, ch, r, q] over the taps.</summary>
    public static Tensor Conv2DBackpropFilter(Tensor x, Tensor dy, Shape fShape, int s, int p, int d)
    {
        var df = New(fShape);
        ForEachTap(x.Shape, fShape, s, p, d, (b, k, i, j, ch, u, v, r, q) => df[k, ch, u, v] += dy[b, k, i, j] * x[b, ch, r, q]);
        return df;
    }

    private delegate void Tap(int b, int k, int i, int j, int ch, int u, int v, int r, int q);

    private static void ForEachTap(Shape x, Shape f, int s, int p, int d, Tap tap)
    {
        int oh = OutSize(x[2], f[2], s, p, d), ow = OutSize(x[3], f[3], s, p, d);
        for (int b = 0; b < x[0]; b++)
            for (int k = 0; k < f[0]; k++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                        for (int ch = 0; ch < x[1]; ch++)
                            for (int u = 0; u < f[2]; u++)
                                for (int v = 0; v < f[3]; v++)
                                {
                                    int r = i * s - p + u * d, q = j * s - p + v * d;
                                    if (r >= 0 && r < x[2] && q >= 0 && q < x[3]) tap(b, k, i, j, ch, u, v, r, q);
                                }
    }

    /// <summary>Index (r, q) of the first maximum of window (i, j) of plane (b, c).</summary>
    private static (int, int) ArgMax(Tensor x, int b, int c, int i, int j, int k, int s)
    {
        (int, int) best = (i * s, j * s);
        for (int u = 0; u < k; u++)
            for (int v = 0; v < k; v++)
                if (x[b, c, i * s + u, j * s + v] > x[b, c, best.Item1, best.Item2]) best = (i * s + u, j * s + v);
        return best;
    }

    private static Shape Pooled(Shape x, int k, int s) => new(x[0], x[1], (x[2] - k) / s + 1, (x[3] - k) / s + 1);

    public static Tensor Pool(Tensor x, int k, int s, bool max)
    {
        var y = New(Pooled(x.Shape, k, s));
        foreach (var i in Indices(y.Shape))
        {
            double acc = max ? double.NegativeInfinity : 0;
            for (int u = 0; u < k; u++)
                for (int v = 0; v < k; v++)
                {
                    double e = x[i[0], i[1], i[2] * s + u, i[3] * s + v];
                    acc = max ? Math.Max(acc, e) : acc + e / (k * k);
                }
            y[i] = acc;
        }
        return y;
    }

    public static Tensor MaxPoolGrad(Tensor x, Tensor dy, int k, int s)
    {
        var dx = New(x.Shape);
        foreach (var i in Indices(dy.Shape))
        {
            var (r, q) = ArgMax(x, i[0], i[1], i[2], i[3], k, s);
            dx[i[0], i[1], r, q] += dy[i];
        }
        return dx;
    }

    public static Tensor MaxPoolSelect(Tensor x, Tensor v, int k, int s)
    {
        var z = New(Pooled(x.Shape, k, s));
        foreach (var i in Indices(z.Shape))
        {
            var (r, q) = ArgMax(x, i[0], i[1], i[2], i[3], k, s);
            z[i] = v[i[0], i[1], r, q];
        }
        return z;
    }

    public static Tensor AvgPoolGrad(Tensor dy, Shape xShape, int k, int s)
    {
        var dx = New(xShape);
        foreach (var i in Indices(dy.Shape))
            for (int u = 0; u < k; u++)
                for (int v = 0; v < k; v++)
                    dx[i[0], i[1], i[2] * s + u, i[3] * s + v] += dy[i] / (k * k);
        return dx;
    }

    /// <summary>Draw <paramref name="draw"/> of a dropout mask: SplitMix64 on a counter, kept when the top 53 bits reach rate·2⁵³.</summary>
    public static Tensor DropoutMask(Shape shape, double rate, int seed, long draw)
    {
        static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
        const ulong golden = 0x9E3779B97F4A7C15;
        ulong key = Mix(Mix((ulong)(uint)seed * golden) ^ (ulong)draw);
        var z = New(shape);
        for (int i = 0; i < z.Size; i++)
            z.SetFlat(i, (Mix(key + (ulong)i * golden) >> 11) / (double)(1UL << 53) >= rate ? 1 / (1 - rate) : 0);
        return z;
    }

    public static Tensor Variance(Tensor x, int[]? axes)
    {
        int count = x.Size / Reduce(x, axes, false, 0, (a, b) => a + b).Size;
        var mean = Map(Reduce(x, axes, true, 0, (a, b) => a + b), v => v / count);
        return Map(Reduce(Zip(x, mean, (a, m) => (a - m) * (a - m)), axes, false, 0, (a, b) => a + b), v => v / count);
    }
}
