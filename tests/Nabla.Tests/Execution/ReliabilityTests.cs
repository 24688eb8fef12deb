namespace Nabla.Tests.Execution;

/// <summary>Checked numerics, value errors that name their node, runs that fail without changing state, fed tensors left alone, a bounded plan cache.</summary>
public class ReliabilityTests
{
    private static Tensor Vector(params float[] v) => Tensor.FromArray(v, v.Length);

    [Fact]
    public void CheckNumericsNamesTheOpThatCreatedTheNaN()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3));
        Node y;
        using (g.NameScope("layer"))
            y = (x.Log() * 2).Exp();
        using var s = new Session(g, new SessionOptions { CheckNumerics = true });
        var ex = Assert.Throws<NonFiniteValueException>(() => s.Run(y, new Feeds { [x] = Vector(1, 0, 2) }));
        Assert.Equal("Log", ex.OpType);
        Assert.Equal("layer", ex.NameScope);
        Assert.StartsWith("layer/", ex.NodeName);
        Assert.Equal([1], ex.Index);
        Assert.Equal(double.NegativeInfinity, ex.Value);
        Assert.True(ex.InputsFinite);
        Assert.Contains(ex.NodeName, ex.Message);
        Assert.Contains("[1]", ex.Message);
    }

    [Fact]
    public void CheckNumericsSaysWhenANaNWasPassedOn()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var y = x * 2;
        using var s = new Session(g, new SessionOptions { CheckNumerics = true });
        var ex = Assert.Throws<NonFiniteValueException>(() => s.Run(y, new Feeds { [x] = Vector(float.NaN, 1) }));
        Assert.Equal("Mul", ex.OpType);
        Assert.False(ex.InputsFinite);
        Assert.Contains("'x'", ex.Message);
    }

    [Fact]
    public void WithoutCheckNumericsNaNIsReturned()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        using var s = new Session(g);
        Assert.Equal(float.NegativeInfinity, s.Run(x.Log(), new Feeds { [x] = Vector(0, 1) }).ToArray<float>()[0]);
    }

    [Fact]
    public void CheckNumericsNodeFailsWithItsMessageAndPassesFiniteValues()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var y = x.Sqrt().CheckNumerics("after the square root");
        using var s = new Session(g);
        Assert.Equal([2f, 3f], s.Run(y, new Feeds { [x] = Vector(4, 9) }).ToArray<float>());
        var ex = Assert.Throws<NonFiniteValueException>(() => s.Run(y, new Feeds { [x] = Vector(4, -1) }));
        Assert.StartsWith("after the square root: ", ex.Message);
        Assert.Equal("CheckNumerics", ex.OpType);
        Assert.Equal([1], ex.Index);
        Assert.False(ex.InputsFinite);
        // The gradient reaching a CheckNumerics node is checked too: d sqrt(x)/dx at 0 is +∞.
        var grad = g.Gradients(x.CheckNumerics("input").Sqrt().Sum(), x)[0]!;
        var gex = Assert.Throws<NonFiniteValueException>(() => s.Run(grad, new Feeds { [x] = Vector(4, 0) }));
        Assert.Contains("in the gradient", gex.Message);
    }

    [Fact]
    public void ValueErrorsNameTheNode()
    {
        var g = new Graph();
        var table = g.Constant(Tensor.Zeros(new Shape(4, 2)));
        var ids = g.Placeholder("ids", new Shape(2));
        var first = table.Gather(ids);
        var second = table.Gather(ids);
        using var s = new Session(g);
        var ex = Assert.Throws<InvalidValueException>(() => s.Run(second, new Feeds { [ids] = Vector(1, 7) }));
        Assert.Contains($"'{second.Name}'", ex.Message);
        Assert.NotEqual(first.Name, second.Name);
        Assert.Contains("7", ex.Message);
    }

    [Fact]
    public void AFailedRunLeavesEveryVariableAsItWas()
    {
        var g = new Graph();
        var v = g.Variable("v", Vector(1, 2));
        var x = g.Placeholder("x", new Shape(2));
        var ids = g.Placeholder("ids", new Shape(1));
        var assign = v.Assign(x);
        var gather = g.Constant(Tensor.Zeros(new Shape(3, 2))).Gather(ids);
        using var s = new Session(g);
        Assert.Throws<InvalidValueException>(() => s.Run([assign, gather], new Feeds { [x] = Vector(5, 6), [ids] = Vector(9) }));
        Assert.Equal([1f, 2f], s.GetVariable(v).ToArray<float>());
        s.Run([assign, gather], new Feeds { [x] = Vector(5, 6), [ids] = Vector(2) });
        Assert.Equal([5f, 6f], s.GetVariable(v).ToArray<float>());
    }

    [Fact]
    public void AFedVariableIsNeverWritten()
    {
        var g = new Graph();
        var w = g.Variable("w", Vector(1, 1));
        var grad = g.Placeholder("g", new Shape(2));
        var step = w.ApplyGradientDescent(g.Scalar(0.5), grad);
        using var s = new Session(g);
        var fed = Vector(10, 20);
        s.Run(step, new Feeds { [w] = fed, [grad] = Vector(2, 4) });
        Assert.Equal([10f, 20f], fed.ToArray<float>());
        Assert.Equal([1f, 1f], s.GetVariable(w).ToArray<float>());
    }

    [Fact]
    public void ANullFeedValueIsAFeedError()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        using var s = new Session(g);
        var ex = Assert.Throws<FeedException>(() => s.Run(x * 2, new Feeds { [x] = null! }));
        Assert.Contains("'x'", ex.Message);
        s.Run(x * 2, new Feeds { [x] = Vector(1, 2) });
        Assert.Throws<FeedException>(() => s.Run(x * 2, new Feeds { [x] = null! }));
    }

    [Fact]
    public void ADisposedSessionRefusesVariableAccess()
    {
        var g = new Graph();
        var v = g.Variable("v", Vector(1));
        var s = new Session(g);
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.GetVariable(v));
        Assert.Throws<ObjectDisposedException>(() => s.SetVariable(v, Vector(2)));
    }

    [Fact]
    public void ThePlanCacheKeepsTheMostRecentlyUsedPlans()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1));
        var y = x * 3;
        using var s = new Session(g, new SessionOptions { PlanCacheCapacity = 2 });
        Feeds Batch(int n) => new() { [x] = Tensor.Ones(new Shape(n)) };
        for (int n = 1; n <= 50; n++)
        {
            Assert.Equal(Enumerable.Repeat(3f, n), s.Run(y, Batch(n)).ToArray<float>());
            Assert.True(s.CachedPlanCount <= 2, $"{s.CachedPlanCount} plans cached after {n} batch sizes");
        }
        s.Run(y, Batch(1));
        s.Run(y, Batch(2));
        s.Run(y, Batch(1));
        s.Run(y, Batch(3)); // evicts batch 2, used longer ago than batch 1
        Assert.True(s.IsCached([y], Batch(1)));
        Assert.True(s.IsCached([y], Batch(3)));
        Assert.False(s.IsCached([y], Batch(2)));
    }
}
