namespace Nabla.NN.Tests;

/// <summary>
/// Exact resume: a run stopped (at an epoch boundary or mid-epoch), saved and continued in a new trainer gives the
/// same weights, bit for bit, as the same run without a stop. Adam (moments, step counter) with a cosine schedule and
/// batch normalization (moving statistics) make every kind of state count.
/// </summary>
public class ResumeTests
{
    private const int Seed = 5, Batch = 25, Epochs = 4;

    private static Dataset Train() => Mnist.Load(Shipped.MnistSubset).Train.Take(300);

    private static ClassifierTrainer NewTrainer(Dataset train)
    {
        var (mean, std) = train.Moments();
        var model = new Sequential(3, new Standardize(mean, std), new Dense(24, Activations.Relu, Initializer.HeNormal), new BatchNorm(), new Dense(10));
        int steps = Epochs * ((train.Count + Batch - 1) / Batch);
        return new ClassifierTrainer(model, [784], new Adam(LearningRateSchedule.Cosine(3e-3, steps)));
    }

    private static float[][] Weights(ClassifierTrainer t) => t.Graph.Variables.Select(v => t.Session.GetVariable(v).ToArray<float>()).ToArray();

    private static float[][] Uninterrupted(Dataset train)
    {
        using var trainer = NewTrainer(train);
        var random = new Random(Seed);
        for (int e = 0; e < Epochs; e++) trainer.TrainEpoch(train, Batch, random);
        return Weights(trainer);
    }

    [Fact]
    public void TwoEpochsThenTwoMoreEqualFourBitForBit() =>
        StopResumeAndCompare(run => { run.TrainEpoch(); run.TrainEpoch(); }, new TrainingPosition(Seed, 2, 0, 24));

    [Fact]
    public void StopInTheMiddleOfAnEpochResumesAtTheNextBatch() =>
        StopResumeAndCompare(run =>
        {
            run.TrainEpoch();
            using var stop = new CancellationTokenSource();
            run.TrainEpoch(p => { if (p.Samples == 5 * Batch) stop.Cancel(); }, stop.Token);
        }, new TrainingPosition(Seed, 1, 5 * Batch, 17));

    /// <summary>Trains with <paramref name="firstPart"/>, saves at <paramref name="stoppedAt"/>, resumes in a new trainer to the last epoch: the weights equal an uninterrupted run's bit for bit.</summary>
    private static void StopResumeAndCompare(Action<ResumableTraining> firstPart, TrainingPosition stoppedAt)
    {
        var train = Train();
        var expected = Uninterrupted(train);
        using var dir = new TempDir();
        using (var first = NewTrainer(train))
        {
            var run = new ResumableTraining(first, train, Batch, Seed);
            firstPart(run);
            Assert.Equal(stoppedAt, run.Position);
            run.Save(dir.File("run.ckpt"));
        }
        using var second = NewTrainer(train);
        var resumed = ResumableTraining.Resume(dir.File("run.ckpt"), second, train, Batch);
        while (resumed.Position.Epoch < Epochs) resumed.TrainEpoch();
        Assert.Equal(Epochs, resumed.Position.Epoch);
        AssertBitIdentical(expected, Weights(second));
    }

    [Fact]
    public void APlainCheckpointIsRefusedForResume()
    {
        var train = Train();
        using var dir = new TempDir();
        using var trainer = NewTrainer(train);
        Checkpoint.Save(dir.File("plain.ckpt"), trainer.Session, trainer.Graph.Variables, "{\"model\":\"mlp\"}");
        Assert.Throws<CheckpointMismatchException>(() => ResumableTraining.Resume(dir.File("plain.ckpt"), trainer, train, Batch));
    }

    private static void AssertBitIdentical(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual[i].Select(BitConverter.SingleToInt32Bits)), $"variable {i} differs");
    }
}
