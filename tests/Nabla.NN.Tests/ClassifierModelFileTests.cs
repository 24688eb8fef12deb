namespace Nabla.NN.Tests;

/// <summary>A trained classifier saved as a model file predicts and keeps training without its architecture in code.</summary>
public class ClassifierModelFileTests
{
    [Fact]
    public void LoadedClassifierPredictsAndTrainsLikeTheOriginal()
    {
        var (train, test) = Mnist.Load(Shipped.MnistSubset);
        (train, test) = (train.Take(200), test.Take(100));
        var (model, shape) = MnistModels.Create("cnn", seed: 2, mean: 0.13, std: 0.31);
        using var trainer = new ClassifierTrainer(model, shape, new Adam(1e-3));
        trainer.TrainEpoch(train.Reshape(shape), 50, new Random(1));
        using var dir = new TempDir();
        ClassifierModelFile.Save(dir.File("cnn.nabla"), trainer, new Dictionary<string, string> { ["model"] = "cnn" });

        using var loaded = ModelFile.Load(dir.File("cnn.nabla"));
        Assert.Equal(shape, ClassifierModelFile.ExampleShape(loaded));
        var (x, _) = test.Reshape(shape).Batch(test.Sequence(), 0, test.Count);
        var expected = ClassifierTrainer.ArgMax(trainer.Session.Run(trainer.Logits, new Feeds { [trainer.X] = x }));
        Assert.Equal(expected, ClassifierModelFile.Predict(loaded, x));

        // One more step through the "train" signature changes the weights exactly as the trainer's own step does.
        var (bx, by) = train.Reshape(shape).Batch(train.Sequence(), 0, 50);
        trainer.Optimizer!.SetStep(trainer.Session, trainer.Step);
        trainer.Session.Run([trainer.TrainOp!], new Feeds { [trainer.X] = bx, [trainer.Labels] = by });
        var t = loaded.Signature("train");
        loaded.Session.Run([t.Output("step")], new Feeds { [t.Input("x")] = bx, [t.Input("labels")] = by });
        foreach (var v in trainer.Model.Variables)
            Assert.Equal(trainer.Session.GetVariable(v).ToArray<float>(), loaded.Session.GetVariable(loaded.Node(v.Name)).ToArray<float>());
    }
}
