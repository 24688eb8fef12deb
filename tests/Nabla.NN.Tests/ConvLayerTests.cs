namespace Nabla.NN.Tests;

public class ConvLayerTests
{
    [Fact]
    public void ConvolutionalStackHasTheExpectedShapesAndNames()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 1, 8, 8));
        var model = new Sequential(1, new Conv2D(4, 3, Activations.Relu, padding: 1), new MaxPool2D(2), new AvgPool2D(2), new Flatten(), new Dense(10));
        var y = model.Apply(x);
        Assert.Equal(new Shape(-1, 10), y.Shape);
        Assert.Equal(["conv2d0/kernel", "conv2d0/bias", "dense4/kernel", "dense4/bias"], model.Variables.Select(v => v.Name));
        Assert.Equal(new Shape(4, 1, 3, 3), model.Variables[0].Shape);
        using var s = new Session(g);
        Assert.Equal(new Shape(3, 10), s.Run(y, new Feeds { [x] = Tensor.RandomNormal(new Shape(3, 1, 8, 8), 2) }).Shape);
    }

    [Fact]
    public void DropoutDropsInTrainingAndIsTheIdentityAtInference()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 1000));
        var model = new Sequential(5, new Dropout(0.25));
        var training = model.Apply(x, training: true);
        var inference = model.Apply(x, training: false);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.Ones(new Shape(2, 1000)) };
        var dropped = s.Run(training, feeds).ToArray<float>();
        double zeros = dropped.Count(v => v == 0) / (double)dropped.Length;
        Assert.InRange(zeros, 0.2, 0.3);
        Assert.All(dropped.Where(v => v != 0), v => Assert.Equal(1 / 0.75f, v, 1e-5f));
        Assert.All(s.Run(inference, feeds).ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void SmallConvNetLearnsOnShippedImages()
    {
        var (train, _) = Mnist.Load(Shipped.MnistSubset);
        train = train.Take(256).Reshape(1, 28, 28);
        var (mean, std) = train.Moments();
        var model = new Sequential(2, new Standardize(mean, std), new Conv2D(4, 5, Activations.Relu, stride: 2), new MaxPool2D(2), new Flatten(), new Dense(10));
        using var trainer = new ClassifierTrainer(model, [1, 28, 28], new Adam(5e-3));
        var random = new Random(2);
        double first = trainer.TrainEpoch(train, 32, random).Loss;
        double last = first;
        for (int i = 0; i < 3; i++) last = trainer.TrainEpoch(train, 32, random).Loss;
        Assert.True(last < first * 0.6, $"training loss went from {first} to {last}");
    }
}
