namespace Nabla.NN.Tests;

/// <summary>Gradient clipping by global norm, coupled and decoupled weight decay, and the warm-up cosine schedule, against updates worked out by hand.</summary>
public class RegularizationTests
{
    /// <summary>One step on loss = 3·w₀ + 4·w₁ (gradient (3, 4), norm 5) from w = (1, 2); returns w after it and the fetched global norm.</summary>
    private static (double[] W, double Norm) Step(Optimizer optimizer)
    {
        var g = new Graph();
        var w = g.Variable("w", Tensor.FromArray([1.0, 2.0]));
        var loss = (w * g.Constant(Tensor.FromArray([3.0, 4.0]))).Sum();
        var train = optimizer.Minimize(loss);
        using var s = new Session(g);
        var norm = s.Run([train, optimizer.GlobalNorm!])[1].ToArray<double>()[0];
        return (s.GetVariable(w).ToArray<double>(), norm);
    }

    private static void Near(double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-12);
    }

    [Fact]
    public void ClippingScalesTheGradientsToTheGlobalNormInTheSameStep()
    {
        var (w, norm) = Step(new Sgd(1.0) { ClipNorm = 1 });
        Assert.Equal(5, norm, 1e-12);
        Near([1 - 0.6, 2 - 0.8], w); // (3, 4)/5
    }

    [Fact]
    public void ClippingLeavesASmallerNormAlone()
    {
        var (w, _) = Step(new Sgd(0.1) { ClipNorm = 10 });
        Near([1 - 0.3, 2 - 0.4], w);
    }

    [Fact]
    public void DecoupledDecayTakesRateTimesLambdaTimesWeightForEveryOptimizer()
    {
        Near([1 - 0.1 * 3 - 0.1 * 0.5 * 1, 2 - 0.1 * 4 - 0.1 * 0.5 * 2], Step(new Sgd(0.1) { DecoupledWeightDecay = 0.5 }).W);
        Near([1 - 0.1 * 3 - 0.1 * 0.5 * 1, 2 - 0.1 * 4 - 0.1 * 0.5 * 2], Step(new Momentum(0.1, 0.9) { DecoupledWeightDecay = 0.5 }).W);
        // RMSProp: s = 0.1·g², step g/√s = ±√10, unaffected by the decay.
        double root10 = 3 / (Math.Sqrt(0.9) + 1e-7), root10b = 4 / (Math.Sqrt(1.6) + 1e-7);
        Near([1 - 0.1 * root10 - 0.05 * 1, 2 - 0.1 * root10b - 0.05 * 2], Step(new RmsProp(0.1, 0.9) { DecoupledWeightDecay = 0.5 }).W);
    }

    [Fact]
    public void CoupledL2AddsLambdaTimesWeightToTheGradientWhichAdaptiveOptimizersRescale()
    {
        Near([1 - 0.1 * (3 + 0.5), 2 - 0.1 * (4 + 1.0)], Step(new Sgd(0.1) { L2 = 0.5 }).W);
        // RMSProp rescales the decayed gradient g' = g + λw: s = 0.1·g'², step g'/√s = √10 for each entry.
        double step = 3.5 / (Math.Sqrt(0.1 * 3.5 * 3.5) + 1e-7), step2 = 5 / (Math.Sqrt(0.1 * 25) + 1e-7);
        Near([1 - 0.1 * step, 2 - 0.1 * step2], Step(new RmsProp(0.1, 0.9) { L2 = 0.5 }).W);
    }

    [Fact]
    public void L2IsAddedAfterClipping()
    {
        var (w, _) = Step(new Sgd(1.0) { ClipNorm = 1, L2 = 0.5 });
        Near([1 - (0.6 + 0.5), 2 - (0.8 + 1.0)], w);
    }

    [Fact]
    public void AdamWeightDecayIsTheDecoupledDecay()
    {
        var adam = new Adam(0.1, weightDecay: 0.25);
        Assert.Equal(0.25, adam.DecoupledWeightDecay);
        // Adam's first step is lr·sign(g) (up to ε); the decay takes lr·λ·w more.
        var (w, _) = Step(adam);
        Assert.Equal(1 - 0.1 - 0.1 * 0.25 * 1, w[0], 1e-6);
        Assert.Equal(2 - 0.1 - 0.1 * 0.25 * 2, w[1], 1e-6);
    }

    [Fact]
    public void NegativeSettingsAreRefused()
    {
        Assert.Throws<InvalidGraphArgumentException>(() => new Sgd(0.1) { ClipNorm = 0 });
        Assert.Throws<InvalidGraphArgumentException>(() => new Sgd(0.1) { L2 = -1 });
        Assert.Throws<InvalidGraphArgumentException>(() => new Sgd(0.1) { DecoupledWeightDecay = -1 });
        Assert.Throws<InvalidGraphArgumentException>(() => LearningRateSchedule.WarmupCosine(1, 10, 10));
    }

    [Fact]
    public void WarmupCosineRisesLinearlyThenFollowsTheCosine()
    {
        var s = LearningRateSchedule.WarmupCosine(1.0, warmupSteps: 4, totalSteps: 12, alpha: 0.1);
        Assert.Equal(0.25, s.At(0), 1e-12);
        Assert.Equal(0.75, s.At(2), 1e-12);
        Assert.Equal(1.0, s.At(3), 1e-12);
        Assert.Equal(1.0, s.At(4), 1e-12);
        Assert.Equal(0.1 + 0.9 * 0.5, s.At(8), 1e-12); // halfway through the 8 cosine steps
        Assert.Equal(0.1, s.At(12), 1e-12);
        Assert.Equal(0.1, s.At(100), 1e-12);
    }
}
