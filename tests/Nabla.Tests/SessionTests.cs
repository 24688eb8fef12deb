namespace Nabla.Tests;

public class SessionTests
{
    /// <summary>An op whose kernel always fails: proves a node was (not) run.</summary>
    private sealed class ExplodingOp : Op
    {
        public override string Type => "Exploding";
        public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => throw new InvalidOperationException("this branch must not run");
    }

    [Fact]
    public void UnneededBranchIsNotRun()
    {
        var g = new Graph();
        var x = g.Placeholder("x");
        var boom = g.Apply(new ExplodingOp(), [x]);
        var y = x * 2.0;
        using var s = new Session(g);
        Assert.Equal(6f, s.Run(y, new Feeds { [x] = 3f }).Scalar<float>());
        Assert.Throws<InvalidOperationException>(() => s.Run(boom, new Feeds { [x] = 3f }));
    }

    [Fact]
    public void FeedingAnIntermediateOverridesIt()
    {
        var g = new Graph();
        var a = g.Placeholder("a"); var b = g.Placeholder("b");
        var e = a * b;
        var y = e + 1.0;
        using var s = new Session(g);
        // a and b are not needed once e is fed.
        Assert.Equal(11f, s.Run(y, new Feeds { [e] = 10f }).Scalar<float>());
        Assert.Equal(7f, s.Run(y, new Feeds { [a] = 2f, [b] = 3f }).Scalar<float>());
    }

    [Fact]
    public void PlansAreCachedPerSignature()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1));
        var y = x.Square().Sum();
        using var s = new Session(g);
        s.Run(y, new Feeds { [x] = Tensor.FromArray(new float[] { 1, 2 }) });
        s.Run(y, new Feeds { [x] = Tensor.FromArray(new float[] { 3, 4 }) });
        Assert.Equal(1, s.CachedPlanCount);
        Assert.Equal(14f, s.Run(y, new Feeds { [x] = Tensor.FromArray(new float[] { 1, 2, 3 }) }).Scalar<float>());
        Assert.Equal(2, s.CachedPlanCount);
        s.Run([y, x], new Feeds { [x] = Tensor.FromArray(new float[] { 1, 2 }) });
        Assert.Equal(3, s.CachedPlanCount);
    }

    [Fact]
    public void ConcurrentRunsMatchSerialRuns()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 8));
        var w = g.Variable("w", Tensor.RandomNormal(new Shape(8, 4), seed: 3));
        var loss = x.MatMul(w).Tanh().Square().Mean();
        var dw = g.Gradients(loss, w)[0]!;
        using var s = new Session(g);
        var inputs = Enumerable.Range(0, 32).Select(i => Tensor.RandomNormal(new Shape(1 + i % 5, 8), seed: i)).ToArray();
        var serial = inputs.Select(t => s.Run([loss, dw], new Feeds { [x] = t })).ToArray();
        var parallel = new Tensor[inputs.Length][];
        var threads = Enumerable.Range(0, 8).Select(k => new Thread(() =>
        {
            for (int rep = 0; rep < 20; rep++)
                for (int i = k; i < inputs.Length; i += 8)
                    parallel[i] = s.Run([loss, dw], new Feeds { [x] = inputs[i] });
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(serial[i][0].ToArray<float>(), parallel[i][0].ToArray<float>());
            Assert.Equal(serial[i][1].ToArray<float>(), parallel[i][1].ToArray<float>());
        }
    }

    [Fact]
    public void VariablesLiveInTheSessionAndChangeThroughAssign()
    {
        var g = new Graph();
        var v = g.Variable("v", Tensor.FromArray(new float[] { 1, 2 }));
        var step = v.Assign(v * 2.0);
        using var s1 = new Session(g);
        using var s2 = new Session(g);
        s1.Run(step);
        s1.Run(step);
        Assert.Equal([4f, 8f], s1.Run(v).ToArray<float>());
        Assert.Equal([1f, 2f], s2.Run(v).ToArray<float>());
    }

    [Fact]
    public void ReturnedTensorsAreNotOverwrittenByLaterRuns()
    {
        var g = new Graph();
        var x = g.Placeholder("x");
        var y = x * 3.0;
        using var s = new Session(g);
        var first = s.Run(y, new Feeds { [x] = 1f });
        s.Run(y, new Feeds { [x] = 5f });
        Assert.Equal(3f, first.Scalar<float>());
    }

    [Fact]
    public void DisposedSessionRefusesToRun()
    {
        var g = new Graph();
        var x = g.Scalar(1);
        var s = new Session(g);
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Run(x));
    }
}
