namespace Nabla.NN;

/// <summary>The models of <c>nabla train</c>: a multilayer perceptron and a LeNet-style convolutional network for MNIST.</summary>
public static class MnistModels
{
    /// <summary>The models <see cref="Create"/> builds: "mlp" and "cnn".</summary>
    public static readonly string[] Names = ["mlp", "cnn"];

    /// <summary>
    /// The model called <paramref name="name"/> with its input standardized by the training set's
    /// <paramref name="mean"/> and <paramref name="std"/>, and the shape of one example it takes.
    /// mlp: 784-256-128-10 with ReLU. cnn (LeNet-style): conv 5×5×16, max-pool 2, conv 5×5×32, max-pool 2, dense 128, dense 10, ReLU throughout.
    /// </summary>
    public static (Sequential Model, int[] ExampleShape) Create(string name, int seed, double mean = 0, double std = 1) => name switch
    {
        "mlp" => (new Sequential(seed,
            new Standardize(mean, std),
            new Dense(256, Activations.Relu, Initializer.HeNormal),
            new Dense(128, Activations.Relu, Initializer.HeNormal),
            new Dense(Mnist.Classes)), [784]),
        "cnn" => (new Sequential(seed,
            new Standardize(mean, std),
            new Conv2D(16, 5, Activations.Relu),
            new MaxPool2D(2),
            new Conv2D(32, 5, Activations.Relu),
            new MaxPool2D(2),
            new Flatten(),
            new Dense(128, Activations.Relu, Initializer.HeNormal),
            new Dense(Mnist.Classes)), [1, 28, 28]),
        _ => throw new InvalidGraphArgumentException($"Unknown model '{name}'; choose one of: {string.Join(", ", Names)}."),
    };
}
