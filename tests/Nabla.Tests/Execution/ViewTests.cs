using Nabla.Execution;

namespace Nabla.Tests.Execution;

/// <summary>
/// Steps whose output is their input's elements (reshapes, identities, sums to the same shape, custom-gradient values)
/// run as views of the input's buffer: the values must be those of plain C# loops, however the buffers are shared.
/// </summary>
public class ViewTests
{
    [Theory]
    [InlineData(64, true)]
    [InlineData(4096, true)] // long enough for fused groups, which then read views
    [InlineData(4096, false)]
    public void ViewsGiveTheValuesAndGradientsOfPlainLoops(int n, bool fuse)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(n), DType.Float64);
        var a = x.Exp();
        var viewOfA = a.Reshape(n / 8, 8).ExpandDims(0);                // viewed after several other values come and go
        var churn = x.Sin() * x + x;                                   // buffers freed and reused meanwhile
        churn = (churn * churn).Tanh() + churn;
        var e = viewOfA.Reshape(n) * churn;
        var softplusOfE = g.CustomGradient([e], args => (args[0].Exp() + 1).Log(), (args, _, dy) => [dy * args[0].Sigmoid()]);
        var y = softplusOfE.Identity().StopGradient() + a.Reshape(n).SumTo(a);
        var loss = (y * y).Sum();
        var dx = g.Gradients(loss, x)[0]!;
        var xs = Tensor.RandomNormal(new Shape(n), 11, stddev: 0.5, dtype: DType.Float64);
        using var session = new Session(g) { FuseElementwise = fuse };

        for (int run = 0; run < 3; run++) // a context is reused from the second run on
        {
            var got = session.Run([y, dx], new Feeds { [x] = xs });
            var xv = xs.ToArray<double>();
            var yv = got[0].ToArray<double>();
            var dxv = got[1].ToArray<double>();
            for (int i = 0; i < n; i++)
            {
                double c = Math.Sin(xv[i]) * xv[i] + xv[i];
                c = Math.Tanh(c * c) + c;
                double ev = Math.Exp(xv[i]) * c;
                double expected = Math.Log(Math.Exp(ev) + 1) + Math.Exp(xv[i]);
                Assert.Equal(expected, yv[i], 1e-12);
                // The first term is cut by StopGradient: d(Σ y²)/dx = 2·y·exp(x).
                Assert.Equal(2 * expected * Math.Exp(xv[i]), dxv[i], 1e-9);
            }
        }
        var plan = PlanBuilder.Build(session, [y, dx], new Feeds { [x] = xs });
        Assert.DoesNotContain(plan.Steps, s => s.Group < 0 && s.Op.Type is "Reshape" or "ExpandDims" or "Identity" or "StopGradient");
    }

    [Fact]
    public void AViewOfAFedValueOrAFetchedOneIsACopyTheCallerOwns()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 3));
        var fedView = x.Reshape(6);
        var t = x.Tanh();
        var fetchedView = t.Reshape(3, 2);
        using var session = new Session(g);
        var xs = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);

        var got = session.Run([fedView, t, fetchedView], new Feeds { [x] = xs });

        got[0].AsSpan<float>()[0] = 100;
        got[1].AsSpan<float>()[0] = 100;
        Assert.Equal(1f, xs.AsSpan<float>()[0]);
        Assert.Equal((float)Math.Tanh(1), got[2].AsSpan<float>()[0], 1e-6f);
        Assert.Equal(new Shape(3, 2), got[2].Shape);
    }

    [Fact]
    public void ViewSkippedStepsAreNotCountedAsExecutedOps()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(4));
        var y = x.Exp().Reshape(2, 2).Reshape(4).Sin();
        using var session = new Session(g);

        Assert.Equal(2, session.PlanStepCount([y], new Feeds { [x] = Tensor.Zeros(new Shape(4)) }));
    }
}
