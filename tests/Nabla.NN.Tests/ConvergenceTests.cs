namespace Nabla.NN.Tests;

/// <summary>Small problems whose solution is known: the optimizers and layers must find it.</summary>
public class ConvergenceTests
{
    [Fact]
    public void XorWithScaledTanhConverges()
    {
        // Inputs and targets ±1, as "Efficient BackProp" advises for the scaled tanh (f(±1) = ±1).
        float[] inputs = [-1, -1, -1, 1, 1, -1, 1, 1];
        float[] targets = [-1, 1, 1, -1];
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 2));
        var t = g.Placeholder("t", new Shape(-1, 1));
        var model = new Sequential(3,
            new Dense(2, Activations.ScaledTanh, Initializer.LeCunNormal),
            new Dense(1, Activations.ScaledTanh, Initializer.LeCunNormal));
        var y = model.Apply(x, training: true);
        var loss = Losses.MeanSquaredError(y, t);
        var train = new Momentum(0.05, 0.9).Minimize(loss, model.TrainableVariables);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(inputs, 4, 2), [t] = Tensor.FromArray(targets, 4, 1) };
        for (int i = 0; i < 400; i++) s.Run(train, feeds);
        var outputs = s.Run([y, loss], feeds);
        Assert.True(outputs[1].Scalar<double>() < 0.02, $"XOR loss is {outputs[1].Scalar<double>()}");
        var predicted = outputs[0].ToArray<float>();
        for (int i = 0; i < 4; i++) Assert.Equal(Math.Sign(targets[i]), Math.Sign(predicted[i]));
    }

    [Fact]
    public void LinearRegressionFindsTheCoefficients()
    {
        var rng = new Random(5);
        int n = 200;
        var xs = new float[n * 2];
        var ys = new float[n];
        for (int i = 0; i < n; i++)
        {
            float a = (float)(rng.NextDouble() * 2 - 1), b = (float)(rng.NextDouble() * 2 - 1);
            xs[2 * i] = a;
            xs[2 * i + 1] = b;
            ys[i] = 3 * a - 2 * b + 0.5f + (float)(0.01 * (rng.NextDouble() - 0.5));
        }
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 2));
        var t = g.Placeholder("t", new Shape(-1, 1));
        var dense = new Dense(1);
        var model = new Sequential(1, dense);
        var loss = Losses.MeanSquaredError(model.Apply(x), t);
        var train = new Sgd(0.3).Minimize(loss);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.FromArray(xs, n, 2), [t] = Tensor.FromArray(ys, n, 1) };
        for (int i = 0; i < 300; i++) s.Run(train, feeds);
        var w = s.GetVariable(dense.Kernel!).ToArray<float>();
        var bias = s.GetVariable(dense.Bias!).ToArray<float>();
        Assert.Equal(3, w[0], 0.02);
        Assert.Equal(-2, w[1], 0.02);
        Assert.Equal(0.5, bias[0], 0.02);
    }
}
