namespace Nabla.NN.Tests;

/// <summary>The sequence layers on small cases worked out by hand.</summary>
public class SequenceLayerTests
{
    private static void Near(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tol);
    }

    [Fact]
    public void EmbeddingLooksUpRowsAndScatterAddsTheirGradient()
    {
        var g = new Graph();
        var ids = g.Placeholder("ids", new Shape(2, 2), DType.Int32);
        var layer = new Embedding(3, 2, dtype: DType.Float64);
        var y = layer.Apply(ids);
        var weights = g.Constant(Tensor.FromArray([1.0, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2));
        var grad = g.Gradients((y * weights).Sum(), [layer.Table!])[0]!;
        using var s = new Session(g);
        s.SetVariable(layer.Table!, Tensor.FromArray([0.0, 1, 10, 11, 20, 21], 3, 2));
        var feeds = new Feeds { [ids] = Tensor.FromArray([2, 0, 1, 1], 2, 2) };
        var r = s.Run([y, grad], feeds);
        Near([20, 21, 0, 1, 10, 11, 10, 11], r[0].ToArray<double>());
        // Row 0 read once (weights 3, 4); row 1 twice (5+7, 6+8); row 2 once (1, 2).
        Near([3, 4, 12, 14, 1, 2], r[1].ToArray<double>());
    }

    [Fact]
    public void EmbeddingRefusesFloatIds()
    {
        var g = new Graph();
        Assert.Throws<DTypeMismatchException>(() => new Embedding(3, 2).Apply(g.Placeholder("ids", new Shape(2))));
    }

    [Fact]
    public void LayerNormNormalizesEachRowThenScalesAndShifts()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3), DType.Float64);
        var layer = new LayerNorm(epsilon: 1e-3);
        var y = layer.Apply(x);
        using var s = new Session(g);
        s.SetVariable(layer.Gamma!, Tensor.FromArray([1.0, 2, 3]));
        s.SetVariable(layer.Beta!, Tensor.FromArray([0.0, 0, 1]));
        var r = s.Run(y, new Feeds { [x] = Tensor.FromArray([1.0, 2, 3, 5, 5, 5], 2, 3) }).ToArray<double>();
        double k = 1 / Math.Sqrt(2.0 / 3 + 1e-3); // row (1, 2, 3): mean 2, variance 2/3
        Near([-k, 0, 3 * k + 1, 0, 0, 1], r);     // row (5, 5, 5): all at the mean
    }

    [Fact]
    public void PositionalEmbeddingAddsOneRowPerPosition()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 2, 2), DType.Float64);
        var layer = new PositionalEmbedding(3);
        var y = layer.Apply(x);
        using var s = new Session(g);
        s.SetVariable(layer.Table!, Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 3, 2));
        var r = s.Run(y, new Feeds { [x] = Tensor.FromArray([0.0, 0, 0, 0, 10, 10, 10, 10], 2, 2, 2) }).ToArray<double>();
        Near([1, 2, 3, 4, 11, 12, 13, 14], r);
    }

    /// <summary>One head of width 2 with identity projections: q = k = v = x, so each output row is softmax(x·xᵀ/√2)·x.</summary>
    private static (double[] Output, double[] Weights) IdentityAttention(bool causal)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(1, 2, 2), DType.Float64);
        var layer = new MultiHeadAttention(1, causal);
        var y = layer.Apply(x);
        using var s = new Session(g);
        foreach (var v in layer.Variables)
            s.SetVariable(v, v.Shape.Rank == 2 ? Tensor.FromArray([1.0, 0, 0, 1], 2, 2) : Tensor.Zeros(v.Shape, DType.Float64));
        var r = s.Run([y, layer.Weights!], new Feeds { [x] = Tensor.FromArray([1.0, 0, 0, 1], 1, 2, 2) });
        return (r[0].ToArray<double>(), r[1].ToArray<double>());
    }

    [Fact]
    public void AttentionWeighsValuesBySoftmaxOfScaledDotProducts()
    {
        double a = 1 / (1 + Math.Exp(-1 / Math.Sqrt(2))); // softmax(1/√2, 0)[0]
        var (y, w) = IdentityAttention(causal: false);
        Near([a, 1 - a, 1 - a, a], w);
        Near([a, 1 - a, 1 - a, a], y);
    }

    [Fact]
    public void CausalAttentionLetsTheFirstPositionSeeOnlyItself()
    {
        double a = 1 / (1 + Math.Exp(-1 / Math.Sqrt(2)));
        var (y, w) = IdentityAttention(causal: true);
        Near([1, 0, 1 - a, a], w);
        Near([1, 0, 1 - a, a], y);
    }

    [Fact]
    public void AttentionSplitsTheWidthIntoHeads()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3, 6));
        Assert.Throws<ShapeMismatchException>(() => new MultiHeadAttention(4).Apply(x));
        var layer = new MultiHeadAttention(3);
        layer.Apply(x);
        Assert.Equal(new Shape(-1, 3, 3, 3), layer.Weights!.Shape);
        Assert.Equal(8, layer.TrainableVariables.Count);
    }

    [Fact]
    public void TransformerBlockWithZeroBranchesIsTheIdentityAndCausalBlocksIgnoreLaterTokens()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(1, 3, 4), DType.Float64);
        var block = new TransformerBlock(2) { Seed = 5 };
        var y = block.Apply(x);
        using var s = new Session(g);
        var input = Tensor.RandomNormal(new Shape(1, 3, 4), 1, dtype: DType.Float64);
        var changed = input.ToArray<double>();
        changed[8] += 1; // the last position only
        var before = s.Run(y, new Feeds { [x] = input }).ToArray<double>();
        var after = s.Run(y, new Feeds { [x] = Tensor.FromArray(changed, 1, 3, 4) }).ToArray<double>();
        Near(before[..8], after[..8]);
        Assert.NotEqual(before[8], after[8]);

        foreach (var v in block.Variables.Where(v => v.Name.Contains("output") || v.Name.Contains("mlp_out")))
            s.SetVariable(v, Tensor.Zeros(v.Shape, DType.Float64));
        Near(input.ToArray<double>(), s.Run(y, new Feeds { [x] = input }).ToArray<double>());
    }
}
