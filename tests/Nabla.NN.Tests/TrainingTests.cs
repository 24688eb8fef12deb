namespace Nabla.NN.Tests;

public class TrainingTests
{
    [Fact]
    public void TinyMlpOnShippedImagesBeatsChanceByFar()
    {
        var (train, test) = Mnist.Load(Shipped.MnistSubset);
        (train, test) = (train.Take(600), test.Take(300));
        var (mean, std) = train.Moments();
        var model = new Sequential(4, new Standardize(mean, std), new Dense(32, Activations.Relu, Initializer.HeNormal), new Dense(10));
        using var trainer = new ClassifierTrainer(model, [784], new Adam(3e-3));
        double before = trainer.Evaluate(test).Accuracy;
        var random = new Random(4);
        EpochStats? last = null;
        for (int epoch = 0; epoch < 5; epoch++) last = trainer.TrainEpoch(train, 32, random);
        var after = trainer.Evaluate(test);
        Assert.True(after.Accuracy > 0.75, $"test accuracy {after.Accuracy:P1} after training (was {before:P1})");
        Assert.True(after.Accuracy > before + 0.4);
        Assert.True(last!.Loss < 0.5, $"training loss {last.Loss}");
    }

    [Fact]
    public void SameSeedGivesTheSameRun()
    {
        double Run()
        {
            var (train, _) = Mnist.Load(Shipped.MnistSubset);
            train = train.Take(200);
            var model = new Sequential(9, new Dense(16, Activations.Tanh), new Dense(10));
            using var trainer = new ClassifierTrainer(model, [784], new Momentum(0.05));
            return trainer.TrainEpoch(train, 20, new Random(9)).Loss;
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void CancelledEpochStopsAfterTheCurrentBatch()
    {
        var (train, _) = Mnist.Load(Shipped.MnistSubset);
        train = train.Take(100);
        using var trainer = new ClassifierTrainer(new Sequential(1, new Dense(10)), [784], new Sgd(0.1));
        using var cancel = new CancellationTokenSource();
        var stats = trainer.TrainEpoch(train, 10, new Random(1), p => { if (p.Samples == 30) cancel.Cancel(); }, cancel.Token);
        Assert.Equal(30, stats.Samples);
        Assert.Equal(3, trainer.Step);
    }

    [Fact]
    public void BatchNormUpdatesMovingAveragesOnlyInTraining()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 2));
        var bn = new BatchNorm(momentum: 0.5);
        var model = new Sequential(1, bn);
        var y = model.Apply(x, training: true);
        var inference = model.Apply(x, training: false);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(new float[] { 1, 10, 3, 30 }, 2, 2) };
        var normalized = s.Run([y, .. model.UpdateOps], feeds)[0].ToArray<float>();
        // Batch statistics: each column becomes (−1, 1) up to ε.
        Assert.Equal(-1, normalized[0], 0.01);
        Assert.Equal(1, normalized[3], 0.01);
        Assert.Equal([1f, 10f], s.GetVariable(bn.MovingMean!).ToArray<float>());   // 0.5·0 + 0.5·(2, 20)
        Assert.Equal([1f, 50.5f], s.GetVariable(bn.MovingVariance!).ToArray<float>()); // 0.5·1 + 0.5·(1, 100)
        s.Run(inference, feeds);
        Assert.Equal([1f, 10f], s.GetVariable(bn.MovingMean!).ToArray<float>());
    }

    [Fact]
    public void InitializersHaveTheirScaleAndAreSeeded()
    {
        var he = Initializer.HeNormal.Create(new Shape(400, 100), 400, 100, seed: 3).ToArray<float>();
        double std = Math.Sqrt(he.Select(v => (double)v * v).Average());
        Assert.Equal(Math.Sqrt(2.0 / 400), std, 0.003);
        var glorot = Initializer.GlorotUniform.Create(new Shape(50, 30), 50, 30, seed: 3).ToArray<float>();
        double limit = Math.Sqrt(6.0 / 80);
        Assert.All(glorot, v => Assert.InRange(v, -limit, limit));
        Assert.Equal(glorot, Initializer.GlorotUniform.Create(new Shape(50, 30), 50, 30, seed: 3).ToArray<float>());
        Assert.NotEqual(glorot, Initializer.GlorotUniform.Create(new Shape(50, 30), 50, 30, seed: 4).ToArray<float>());
    }

    [Fact]
    public void ScaledTanhMapsOneToOne()
    {
        var g = new Graph();
        var x = g.Constant(Tensor.FromArray(new[] { 1.0, -1.0 }));
        var y = Activations.ScaledTanh(x);
        using var s = new Session(g);
        var values = s.Run(y).ToArray<double>();
        Assert.Equal(1.0, values[0], 3);
        Assert.Equal(-1.0, values[1], 3);
    }
}
