using Nabla.Execution;

namespace Nabla.Tests.Ops;

/// <summary>The session and the pictures ask an op for its facts, so an op defined anywhere gets the same treatment.</summary>
public class OpFactsTests
{
    /// <summary>z = 3x − y, elementwise over equal shapes, written outside the library and declaring itself fusable.</summary>
    private sealed class ThreeXMinusYOp : Op, IChunkOp
    {
        public int Chunks;
        public override string Type => "ThreeXMinusY";
        public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

        protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
        {
            var x = inputs[0].Span<T>(); var y = inputs[1].Span<T>(); var z = output.Span<T>();
            for (int i = 0; i < z.Length; i++) z[i] = T.CreateChecked(3) * x[i] - y[i];
        }

        public void ApplyChunk(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
        {
            Chunks++;
            for (int i = 0; i < z.Length; i++) z[i] = 3 * x[i] - y[i];
        }

        public void ApplyChunk(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
        {
            Chunks++;
            for (int i = 0; i < z.Length; i++) z[i] = 3 * x[i] - y[i];
        }
    }

    [Fact]
    public void AnOpThatImplementsIChunkOpIsFusedWithoutTheFuserKnowingItsClass()
    {
        const int n = 5000;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(n));
        var y = g.Placeholder("y", new Shape(n));
        var op = new ThreeXMinusYOp();
        Assert.Equal(FusionRole.Elementwise, op.FusionRole);
        var z = g.Apply(op, [x.Exp(), y]).Tanh();
        var xs = Tensor.RandomNormal(new Shape(n), 1);
        var ys = Tensor.RandomNormal(new Shape(n), 2);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = xs, [y] = ys };
        var result = s.Run(z, feeds).ToArray<float>();

        var plan = PlanBuilder.Build(s, [z], feeds);
        Assert.Single(plan.Groups);
        Assert.Contains(plan.Groups[0].Members, m => ReferenceEquals(m.Op, op));
        Assert.True(op.Chunks > 0, "the fused group should run the op slice by slice");
        float[] xv = xs.ToArray<float>(), yv = ys.ToArray<float>();
        for (int i = 0; i < n; i++)
            Assert.Equal(Math.Tanh(3 * Math.Exp(xv[i]) - yv[i]), result[i], 1e-5);
    }

    [Fact]
    public void SourcesSayWhereTheirValueComesFrom()
    {
        var g = new Graph();
        var value = Tensor.FromArray(new float[] { 1, 2 }, 2);
        var p = g.Placeholder("p", new Shape(2));
        var c = g.Constant(value, "c");
        var v = g.Variable("v", Tensor.FromArray(new float[] { 5, 7 }, 2));
        var sum = p + c;
        Assert.Equal([SourceKind.Placeholder, SourceKind.Constant, SourceKind.Variable, SourceKind.None],
            new[] { p, c, v, sum }.Select(n => n.Op.SourceKind));
        Assert.Equal([true, true, true, false], new[] { p, c, v, sum }.Select(n => n.Op.IsSource));
        Assert.Null(p.Op.FixedValue);
        Assert.Null(sum.Op.FixedValue);
        Assert.Equal(new float[] { 1, 2 }, c.Op.FixedValue!.ToArray<float>());
        Assert.Equal(new float[] { 5, 7 }, v.Op.FixedValue!.ToArray<float>());
    }

    [Fact]
    public void OpsThatWriteVariablesAreStatefulAndPureOpsAreNot()
    {
        var g = new Graph();
        var w = g.Variable("w", Tensor.FromArray(new float[] { 1, 2 }, 2));
        var grad = g.Constant(Tensor.FromArray(new float[] { 1, 1 }, 2));
        var assign = w.Assign(w * 2);
        var step = w.ApplyGradientDescent(g.Scalar(0.1), grad);
        var group = g.Group(assign, step);
        Assert.True(assign.Op.IsStateful);
        Assert.True(step.Op.IsStateful);
        Assert.True(group.Op.IsStateful);
        Assert.False((w * 2).Op.IsStateful);
        Assert.False(group.Op.ReadsInputValues);
        Assert.True(assign.Op.ReadsInputValues);
        Assert.Equal(FusionRole.Assign, assign.Op.FusionRole);
    }

    [Fact]
    public void ReductionsAndBroadcastsDeclareHowTheyFuse()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3, 4));
        Assert.Equal(FusionRole.Sum, x.Sum().Op.FusionRole);
        Assert.Equal(FusionRole.Sum, x.SumTo(g.Placeholder("r", new Shape(4))).Op.FusionRole);
        Assert.Equal(FusionRole.Broadcast, g.Placeholder("b", new Shape(4)).BroadcastTo(new Shape(3, 4)).Op.FusionRole);
        Assert.Equal(FusionRole.Elementwise, x.Exp().Op.FusionRole);
        Assert.Equal(FusionRole.None, x.Max().Op.FusionRole);
        Assert.Equal(FusionRole.None, x.MatMul(x, false, true).Op.FusionRole);
    }
}
