namespace Nabla.Tests.Execution;

/// <summary>Session.Run into caller-provided result tensors: values against naive references, no allocation, typed errors.</summary>
public class RunIntoResultsTests
{
    private static float[] NaiveMatMul(float[] a, float[] b, int m, int n, int k)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                c[i * n + j] = (float)s;
            }
        return c;
    }

    [Fact]
    public void MatMulIntoResultMatchesNaiveOnEveryRun()
    {
        const int m = 37, n = 45, k = 29;
        var g = new Graph();
        var a = g.Placeholder("a", new Shape([m, k]));
        var b = g.Placeholder("b", new Shape([k, n]));
        var c = a.MatMul(b);
        using var session = new Session(g);
        var result = Tensor.Fill(new Shape([m, n]), float.NaN); // stale contents must be overwritten
        for (int seed = 0; seed < 3; seed++)
        {
            var (ta, tb) = (Tensor.RandomNormal(new Shape([m, k]), 10 + seed), Tensor.RandomNormal(new Shape([k, n]), 20 + seed));
            session.Run(c, new Feeds { [a] = ta, [b] = tb }, result);
            var expected = NaiveMatMul(ta.ToArray<float>(), tb.ToArray<float>(), m, n, k);
            var got = result.ToArray<float>();
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"run {seed} at {i}: {got[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void TanhSumValueAndGradientMatchHandDerivation()
    {
        const int size = 5000;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([size]));
        var y = (x.Tanh() * x + x).Sum();
        Node?[] fetches = [y, g.Gradients(y, x)[0]];
        using var session = new Session(g);
        var xs = Tensor.RandomNormal(new Shape([size]), 5);
        var feeds = new Feeds { [x] = xs };
        var results = session.CreateResults(fetches, feeds);
        Assert.Equal(Shape.Scalar, results[0].Shape);
        Assert.Equal(new Shape([size]), results[1].Shape);
        session.Run(fetches, feeds, results);
        double sum = 0;
        var v = xs.ToArray<float>();
        var dx = results[1].ToArray<float>();
        for (int i = 0; i < size; i++)
        {
            double t = Math.Tanh(v[i]);
            sum += t * v[i] + v[i];
            double d = t + v[i] * (1 - t * t) + 1; // d/dx (tanh(x)·x + x)
            Assert.True(Math.Abs(dx[i] - d) <= 1e-5 * (1 + Math.Abs(d)), $"gradient at {i}: {dx[i]} vs {d}");
        }
        Assert.Equal(sum, results[0].Scalar<float>(), 1e-5 * Math.Abs(sum) + 1e-3);
    }

    [Fact]
    public void FedAndRepeatedFetchesAreCopiedIntoTheirResults()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([3]));
        var y = x * 2.0;
        using var session = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray([1f, 2f, 3f], 3) };
        var results = new[] { Tensor.Zeros(new Shape([3])), Tensor.Zeros(new Shape([3])), Tensor.Zeros(new Shape([3])) };
        session.Run([y, x, y], feeds, results);
        Assert.Equal([2f, 4f, 6f], results[0].ToArray<float>());
        Assert.Equal([1f, 2f, 3f], results[1].ToArray<float>());
        Assert.Equal([2f, 4f, 6f], results[2].ToArray<float>());
    }

    [Fact]
    public void SteadyStateRunsIntoResultsAllocateNothing()
    {
        const int size = 300;
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([size]));
        var y = (x.Tanh() * x + x).Sum();
        Node?[] fetches = [y, g.Gradients(y, x)[0]];
        var a = g.Placeholder("a", new Shape([20, 30]));
        var w = g.Variable("w", Tensor.RandomNormal(new Shape([30, 10]), 1));
        var loss = (a.MatMul(w).Relu() * 0.5).Sum();
        var train = w.Assign(w - 0.01 * g.Gradients(loss, w)[0]!);
        Node?[] step = [loss, train];
        using var session = new Session(g);
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([size]), 2), [a] = Tensor.RandomNormal(new Shape([20, 30]), 3) };
        var results = session.CreateResults(fetches, feeds);
        var stepResults = session.CreateResults(step, feeds);
        var single = Tensor.Zeros(Shape.Scalar);
        void RunAll()
        {
            session.Run(fetches, feeds, results);
            session.Run(step, feeds, stepResults); // alternating signatures: the plan cache, not only the last-plan path
            session.Run(y, feeds, single);
        }
        for (int i = 0; i < 50; i++) RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) RunAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 20 rounds of runs into provided results");
        Assert.Equal(results[0].Scalar<float>(), single.Scalar<float>());
    }

    [Fact]
    public void ARunThatSavesVariablesBeforeAFallibleStepAllocatesNothingOnceWarm()
    {
        // The assign runs before a Gather whose fed ids may be out of range, so each run keeps a copy to restore.
        var g = new Graph();
        var v = g.Variable("v", Tensor.FromArray([1f, 2f, 3f], 3));
        var ids = g.Placeholder("ids", new Shape([2]), DType.Int32);
        var picked = v.Assign(v * 2).Gather(ids).Sum();
        using var session = new Session(g);
        var feeds = new Feeds { [ids] = Tensor.FromArray([0, 2], 2) };
        var result = Tensor.Zeros(Shape.Scalar);
        for (int i = 0; i < 5; i++) session.Run(picked, feeds, result);
        Assert.Equal((1 + 3) * 32.0, result.Scalar<float>());
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) session.Run(picked, feeds, result);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 20 runs that save a variable first");
        var bad = new Feeds { [ids] = Tensor.FromArray([0, 7], 2) };
        var before2 = session.GetVariable(v).ToArray<float>();
        Assert.Throws<InvalidValueException>(() => session.Run(picked, bad, result));
        Assert.Equal(before2, session.GetVariable(v).ToArray<float>());
    }

    [Fact]
    public void OneSignatureLoopAllocatesNothingUnderTheSmallestPlanCache()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([64]));
        var y = (x * x).Sum();
        var z = x.Tanh();
        using var session = new Session(g, new SessionOptions { PlanCacheCapacity = 1 });
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape([64]), 6) };
        var result = Tensor.Zeros(Shape.Scalar);
        session.Run(z, feeds);               // another signature first: the loop's plan evicts it
        for (int i = 0; i < 50; i++) session.Run(y, feeds, result);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(y, feeds, result);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 100 runs of one signature");
        Assert.Equal(1, session.CachedPlanCount);
        double expected = feeds[x].ToArray<float>().Sum(v => (double)v * v);
        Assert.Equal(expected, result.Scalar<float>(), 1e-4 * expected);
    }

    [Fact]
    public void DefaultRunStillReturnsTensorsOfItsOwn()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([4]));
        var y = x * 3.0;
        using var session = new Session(g);
        var first = session.Run(y, new Feeds { [x] = Tensor.FromArray([1f, 2f, 3f, 4f], 4) });
        var second = session.Run(y, new Feeds { [x] = Tensor.FromArray([5f, 6f, 7f, 8f], 4) });
        Assert.Equal([3f, 6f, 9f, 12f], first.ToArray<float>());
        Assert.Equal([15f, 18f, 21f, 24f], second.ToArray<float>());
    }

    [Fact]
    public void WrongResultsAreTypedErrorsNamingTheFetch()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([2, 3]));
        var y = x * 2.0;
        using var session = new Session(g);
        var xs = Tensor.Ones(new Shape([2, 3]));
        var feeds = new Feeds { [x] = xs };
        var shape = Assert.Throws<ShapeMismatchException>(() => session.Run(y, feeds, Tensor.Zeros(new Shape([3, 2]))));
        Assert.Contains(y.Name, shape.Message);
        Assert.Contains("[2, 3]", shape.Message);
        var dtype = Assert.Throws<DTypeMismatchException>(() => session.Run(y, feeds, Tensor.Zeros(new Shape([2, 3]), DType.Float64)));
        Assert.Contains("double", dtype.Message);
        Assert.Throws<InvalidGraphArgumentException>(() => session.Run([y, y], feeds, [Tensor.Zeros(new Shape([2, 3]))]));
        Assert.Throws<InvalidGraphArgumentException>(() => session.Run(y, feeds, xs));
        var shared = Tensor.Zeros(new Shape([2, 3]));
        Assert.Throws<InvalidGraphArgumentException>(() => session.Run([y, x], feeds, [shared, shared]));
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f], xs.ToArray<float>()); // the refused run wrote nothing
    }
}
