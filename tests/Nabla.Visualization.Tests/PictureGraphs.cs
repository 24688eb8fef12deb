using Nabla.Examples;
using Nabla.NN;

namespace Nabla.Visualization.Tests;

/// <summary>Graphs whose pictures must be readable: small and large expressions, two paths through one op, and a model's training step.</summary>
public static class PictureGraphs
{
    /// <summary>An expression of more than 30 drawn nodes, with shared inputs, constants and every kind of function.</summary>
    public const string Large = "sin(a*b + c) * exp(b - d) + log(a*a + 1) * tanh(c*d - b) + sqrt(d*d + a) - cos(a - c)*b + sigmoid(a*d) / (1 + b*b)";

    public static TheoryData<string> Names => new() { "reference", "x*x + sin(x)", "large", "mlp-training" };

    /// <summary>A renderer with values and gradients for the graph called <paramref name="name"/> in <see cref="Names"/>.</summary>
    public static GraphRenderer Renderer(string name, PictureLayout layout = PictureLayout.Managed) => name switch
    {
        "reference" => Reference(layout),
        "x*x + sin(x)" => Expression("x*x + sin(x)", new() { ["x"] = 3 }, layout),
        "large" => Expression(Large, new() { ["a"] = 0.5, ["b"] = 1.5, ["c"] = -0.7, ["d"] = 2 }, layout),
        "mlp-training" => MlpTraining(layout),
        _ => throw new ArgumentException($"no picture graph '{name}'", nameof(name)),
    };

    private static GraphRenderer Reference(PictureLayout layout)
    {
        var ex = new ReferenceExample();
        return new GraphRenderer(ex.Graph, new RenderOptions { Session = new Session(ex.Graph), Feeds = ex.Feeds(), Output = ex.G, Layout = layout });
    }

    private static GraphRenderer Expression(string text, Dictionary<string, double> values, PictureLayout layout)
    {
        var ex = Nabla.Visualization.Expression.Parse(text);
        return new GraphRenderer(ex.Graph, new RenderOptions { Session = new Session(ex.Graph), Feeds = ex.Feeds(values), Output = ex.Output, Layout = layout });
    }

    /// <summary>A 3-5-3 perceptron's training step (forward, loss, SGD updates) on a batch of 4.</summary>
    private static GraphRenderer MlpTraining(PictureLayout layout)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(4, 3));
        var labels = g.Placeholder("labels", new Shape(4));
        var model = new Sequential(1, new Dense(5, Activations.Relu), new Dense(3));
        var loss = Losses.SoftmaxCrossEntropy(model.Apply(x, training: true), labels);
        var step = new Sgd(0.1).Minimize(loss, model.TrainableVariables);
        var feeds = new Feeds
        {
            [x] = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i)).ToArray(), 4, 3),
            [labels] = Tensor.FromArray(new float[] { 0, 2, 1, 2 }, 4),
        };
        return new GraphRenderer(g, new RenderOptions { Session = new Session(g), Feeds = feeds, Output = loss, Fetches = [step], Layout = layout });
    }
}
