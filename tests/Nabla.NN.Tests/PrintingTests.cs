namespace Nabla.NN.Tests;

/// <summary>What models, layers, optimizers, graphs and nodes print.</summary>
public class PrintingTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();

    /// <summary>The cells of the summary's row for <paramref name="layer"/>, split on runs of spaces.</summary>
    private static string[] Row(string summary, string layer) =>
        System.Text.RegularExpressions.Regex.Split(Lines(summary).Single(l => l.StartsWith(layer + " ", StringComparison.Ordinal)), " {2,}");

    [Fact]
    public void SummaryListsOutputShapesAndParameterCountsOfAnMlp()
    {
        var (model, _) = MnistModels.Create("mlp", seed: 1);
        var g = new Graph();
        model.Apply(g.Placeholder("x", new Shape(-1, 784)));
        string summary = model.Summary();
        // A dense layer from n to m inputs holds an n×m kernel and m biases.
        Assert.Equal(["dense1", "Dense", "[?, 256]", $"{784 * 256 + 256:N0}"], Row(summary, "dense1"));
        Assert.Equal(["dense2", "Dense", "[?, 128]", $"{256 * 128 + 128:N0}"], Row(summary, "dense2"));
        Assert.Equal(["dense3", "Dense", "[?, 10]", $"{128 * 10 + 10:N0}"], Row(summary, "dense3"));
        Assert.Equal(["standardize0", "Standardize", "[?, 784]", "2"], Row(summary, "standardize0")); // mean and std, not trainable
        long total = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
        Assert.Contains($"total parameters: {total + 2:N0} ({total:N0} trainable, 2 not trainable)", summary);
        Assert.StartsWith("Sequential model, 4 layers", summary);
    }

    [Fact]
    public void SummaryOfARecurrentModelCountsPyTorchsParameters()
    {
        var model = new Sequential(1, new Lstm(32), new Gru(16, returnSequences: false), new Dense(3));
        var g = new Graph();
        model.Apply(g.Placeholder("x", new Shape(-1, 10, 8)));
        string summary = model.Summary();
        // PyTorch's nn.LSTM(8, 32) holds 4·32·(8 + 32) weights and 2·4·32 biases; nn.GRU(32, 16) 3·16·(32 + 16) and 2·3·16.
        var lstm = Row(summary, model.Layers[0].Name!);
        Assert.Equal(["Lstm", "[?, 10, 32]", $"{4 * 32 * (8 + 32) + 2 * 4 * 32:N0}"], lstm[1..]);
        Assert.Equal(["Gru", "[?, 16]", $"{3 * 16 * (32 + 16) + 2 * 3 * 16:N0}"], Row(summary, model.Layers[1].Name!)[1..]);
        Assert.Equal("Lstm(input=8, hidden=32, return_sequences=true)", model.Layers[0].ToString());
    }

    [Fact]
    public void SummaryOfACnnGivesConvolutionShapesAndSaysWhenNotBuilt()
    {
        var (model, exampleShape) = MnistModels.Create("cnn", seed: 1);
        Assert.Contains("not built yet", model.Summary());
        Assert.Equal(["conv2d1", "Conv2D", "?", "0"], Row(model.Summary(), "conv2d1"));
        var g = new Graph();
        model.Apply(g.Placeholder("x", new Shape([-1, .. exampleShape])));
        string summary = model.Summary();
        Assert.Equal(["conv2d1", "Conv2D", "[?, 16, 24, 24]", $"{16 * 1 * 5 * 5 + 16:N0}"], Row(summary, "conv2d1")); // 28 − 5 + 1 = 24
        Assert.Equal(["maxpool2d2", "MaxPool2D", "[?, 16, 12, 12]", "0"], Row(summary, "maxpool2d2"));
        Assert.Equal(["conv2d3", "Conv2D", "[?, 32, 8, 8]", $"{32 * 16 * 5 * 5 + 32:N0}"], Row(summary, "conv2d3"));
        Assert.Equal(["flatten5", "Flatten", "[?, 512]", "0"], Row(summary, "flatten5"));
        Assert.DoesNotContain("not built yet", summary);
    }

    [Fact]
    public void BatchNormMovingStatisticsCountAsNotTrainable()
    {
        var model = new Sequential(1, new Dense(6), new BatchNorm());
        var g = new Graph();
        model.Apply(g.Placeholder("x", new Shape(-1, 3)), training: true);
        Assert.Contains($"total parameters: {3 * 6 + 6 + 4 * 6} ({3 * 6 + 6 + 2 * 6} trainable, {2 * 6} not trainable)", model.Summary());
    }

    [Fact]
    public void ModelsAndLayersPrintTheirSettings()
    {
        var model = new Sequential(1, new Dense(256, Activations.Relu), new Dropout(0.25), new Dense(10));
        Assert.Equal("Sequential(\n  (dense0): Dense(units=256, activation=Relu)\n  (dropout1): Dropout(rate=0.25)\n  (dense2): Dense(units=10, activation=none)\n)", model.ToString());
        Assert.Equal("Conv2D(filters=16, kernelSize=5, stride=1, padding=0, activation=custom)", new Conv2D(16, 5, x => x.Tanh()).ToString());
        Assert.Equal("MaxPool2D(kernel=2, stride=2)", new MaxPool2D(2).ToString());
        Assert.Equal("Flatten()", new Flatten().ToString());
    }

    [Fact]
    public void OptimizersPrintTheirSettingsAndSchedule()
    {
        Assert.Equal("Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1E-07, weightDecay=0)", new Adam().ToString());
        Assert.Equal("Momentum(learningRate=0.1, momentum=0.9, nesterov=true)", new Momentum(0.1, nesterov: true).ToString());
        Assert.Equal("Sgd(learningRate=exponential(rate=0.1, decay=0.5, decaySteps=100, staircase=true))",
            new Sgd(LearningRateSchedule.Exponential(0.1, 0.5, 100, staircase: true)).ToString());
        Assert.Equal("RmsProp(learningRate=cosine(rate=0.01, totalSteps=50, alpha=0), rho=0.9, epsilon=1E-07)",
            new RmsProp(LearningRateSchedule.Cosine(0.01, 50)).ToString());
    }

    [Fact]
    public void GraphsAndNodesPrintWhatTheyAre()
    {
        var g = new Graph();
        var (a, b, c, d) = (g.Placeholder("a", Shape.Scalar), g.Placeholder("b", Shape.Scalar), g.Placeholder("c", Shape.Scalar), g.Placeholder("d", Shape.Scalar));
        var e = a * b;
        _ = e + c * d;
        Assert.Equal("Graph(7 nodes: 4 Placeholder, 2 Mul, 1 Add)", g.ToString());
        Assert.Equal("Graph(empty)", new Graph().ToString());
        Assert.Equal($"Mul '{e.Name}' [] float32", e.ToString());
        var x = new Graph().Placeholder("x", new Shape(-1, 3), DType.Float64);
        Assert.Equal("Placeholder 'x' [?, 3] float64", x.ToString());
    }
}
