namespace Nabla.NN.Tests;

/// <summary>Each optimizer's first steps against the update computed by hand, on loss = Σ c·w (so the gradient is c).</summary>
public class OptimizerTests
{
    private static readonly double[] W0 = [1.0, -2.0, 0.25];
    private static readonly double[] C = [0.5, 3.0, -0.1];

    /// <summary>Runs <paramref name="steps"/> train steps and returns w after each.</summary>
    private static double[][] Steps(Optimizer optimizer, int steps)
    {
        var g = new Graph();
        var w = g.Variable("w", Tensor.FromArray(W0));
        var loss = (w * g.Constant(Tensor.FromArray(C))).Sum();
        var train = optimizer.Minimize(loss);
        using var s = new Session(g);
        var result = new double[steps][];
        for (int i = 0; i < steps; i++)
        {
            optimizer.SetStep(s, i);
            s.Run(train);
            result[i] = s.GetVariable(w).ToArray<double>();
        }
        return result;
    }

    private static void Near(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    private static double[] Map(Func<double, double, double> f, double[] w) => w.Zip(C, f).ToArray();

    [Fact]
    public void SgdSubtractsRateTimesGradient()
    {
        var w = Steps(new Sgd(0.1), 2);
        Near(Map((w, c) => w - 0.1 * c, W0), w[0]);
        Near(Map((w, c) => w - 0.2 * c, W0), w[1]);
    }

    [Fact]
    public void MomentumAccumulatesVelocity()
    {
        var w = Steps(new Momentum(0.1, 0.9), 2);
        Near(Map((w, c) => w - 0.1 * c, W0), w[0]);          // a1 = g
        Near(Map((w, c) => w - 0.1 * c - 0.19 * c, W0), w[1]); // a2 = 0.9g + g
    }

    [Fact]
    public void NesterovLooksAhead()
    {
        var w = Steps(new Momentum(0.1, 0.9, nesterov: true), 2);
        Near(Map((w, c) => w - 0.1 * (c + 0.9 * c), W0), w[0]);
        Near(Map((w, c) => w - 0.19 * c - 0.1 * (c + 0.9 * 1.9 * c), W0), w[1]);
    }

    [Fact]
    public void RmsPropDividesByRootMeanSquare()
    {
        var w = Steps(new RmsProp(0.01, rho: 0.9, epsilon: 1e-7), 2);
        double[] s1 = C.Select(c => 0.1 * c * c).ToArray();
        var w1 = W0.Select((w, i) => w - 0.01 * C[i] / (Math.Sqrt(s1[i]) + 1e-7)).ToArray();
        Near(w1, w[0]);
        var w2 = w1.Select((w, i) => w - 0.01 * C[i] / (Math.Sqrt(0.9 * s1[i] + 0.1 * C[i] * C[i]) + 1e-7)).ToArray();
        Near(w2, w[1]);
    }

    private static double[] AdamReference(int steps, double lr, double weightDecay)
    {
        var w = (double[])W0.Clone();
        var m = new double[w.Length];
        var v = new double[w.Length];
        for (int t = 1; t <= steps; t++)
        {
            double lrT = lr * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            for (int i = 0; i < w.Length; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * C[i];
                v[i] = 0.999 * v[i] + 0.001 * C[i] * C[i];
                w[i] = w[i] - lrT * m[i] / (Math.Sqrt(v[i]) + 1e-7) - lr * weightDecay * w[i];
            }
        }
        return w;
    }

    [Fact]
    public void AdamCorrectsBias()
    {
        var w = Steps(new Adam(0.01), 3);
        Near(AdamReference(1, 0.01, 0), w[0]);
        Near(AdamReference(3, 0.01, 0), w[2]);
        // The first bias-corrected step moves each weight by about lr·sign(g).
        Assert.Equal(W0[1] - 0.01, w[0][1], 1e-6);
    }

    [Fact]
    public void AdamWDecaysWeightsDecoupled()
    {
        var w = Steps(new AdamW(0.01, weightDecay: 0.1), 2);
        Near(AdamReference(1, 0.01, 0.1), w[0]);
        Near(AdamReference(2, 0.01, 0.1), w[1]);
    }

    /// <summary>AdamW over 19 weights (whole vectors of either dtype and a remainder) in float64 and float32, against the update in float64 loops.</summary>
    [Theory]
    [InlineData(DType.Float64, 1e-12)]
    [InlineData(DType.Float32, 1e-6)]
    public void AdamWOverVectorsAndARemainderMatchesTheUpdateByHand(DType dtype, double tolerance)
    {
        double[] w0 = [.. Enumerable.Range(0, 19).Select(i => Math.Sin(i + 1))], c = [.. Enumerable.Range(0, 19).Select(i => Math.Cos(3 * i) * (i + 1))];
        var g = new Graph();
        var w = g.Variable("w", Tensor.FromArray(w0).Cast(dtype));
        var optimizer = new AdamW(0.01, weightDecay: 0.1);
        var train = optimizer.Minimize((w * g.Constant(Tensor.FromArray(c).Cast(dtype))).Sum());
        using var s = new Session(g);
        double[] expected = (double[])w0.Clone(), m = new double[19], v = new double[19];
        for (int t = 1; t <= 3; t++)
        {
            optimizer.SetStep(s, t - 1);
            s.Run(train);
            double lrT = 0.01 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            for (int i = 0; i < 19; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * c[i];
                v[i] = 0.999 * v[i] + 0.001 * c[i] * c[i];
                expected[i] -= lrT * m[i] / (Math.Sqrt(v[i]) + 1e-7) + 0.01 * 0.1 * expected[i];
            }
            var actual = s.GetVariable(w).ToArray<double>();
            for (int i = 0; i < 19; i++) Assert.Equal(expected[i], actual[i], tolerance);
        }
    }

    [Fact]
    public void ScheduleChangesTheRateWithoutRebuilding()
    {
        var schedule = LearningRateSchedule.Exponential(0.1, 0.5, decaySteps: 1, staircase: true);
        var w = Steps(new Sgd(schedule), 2);
        Near(Map((w, c) => w - 0.1 * c, W0), w[0]);
        Near(Map((w, c) => w - 0.1 * c - 0.05 * c, W0), w[1]);
        Assert.Equal(0.025, schedule.At(2), 12);
        Assert.Equal(0.0, LearningRateSchedule.Cosine(1.0, 10).At(10), 12);
    }

    [Fact]
    public void MinimizeSkipsVariablesTheLossDoesNotUse()
    {
        var g = new Graph();
        var w = g.Variable("w", Tensor.FromArray(new[] { 1.0 }));
        var unused = g.Variable("unused", Tensor.FromArray(new[] { 7.0 }));
        var train = new Sgd(0.5).Minimize((w * w).Sum());
        using var s = new Session(g);
        s.Run(train);
        Assert.Equal(0.0, s.GetVariable(w).ToArray<double>()[0], 12);   // 1 − 0.5·2
        Assert.Equal(7.0, s.GetVariable(unused).ToArray<double>()[0], 12);
    }

    [Fact]
    public void MinimizeOfAConstantLossIsAnError()
    {
        var g = new Graph();
        g.Variable("w", Tensor.FromArray(new[] { 1.0 }));
        Assert.Throws<GradientException>(() => new Sgd(0.1).Minimize(g.Scalar(1.0, DType.Float64)));
    }
}
