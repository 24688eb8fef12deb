using Nabla.Examples;
using Nabla.NN;

namespace Nabla.Visualization.Tests;

/// <summary>Graphs whose pictures must be readable: small and large expressions, two paths through one op, and a model's training step.</summary>
public static class PictureGraphs
{
    /// <summary>An expression of more than 30 drawn nodes, with shared inputs, constants and every kind of function.</summary>
    public const string Large = "sin(a*b + c) * exp(b - d) + log(a*a + 1) * tanh(c*d - b) + sqrt(d*d + a) - cos(a - c)*b + sigmoid(a*d) / (1 + b*b)";

    public static TheoryData<string> Names => new() { "reference", "x*x + sin(x)", "large", "mlp-training", "rnn-scan", "cond", "while-loop" };

    /// <summary>A renderer with values and gradients for the graph called <paramref name="name"/> in <see cref="Names"/>.</summary>
    public static GraphRenderer Renderer(string name, PictureLayout layout = PictureLayout.Managed) => name switch
    {
        "reference" => Reference(layout),
        "x*x + sin(x)" => Expression("x*x + sin(x)", new() { ["x"] = 3 }, layout),
        "large" => Expression(Large, new() { ["a"] = 0.5, ["b"] = 1.5, ["c"] = -0.7, ["d"] = 2 }, layout),
        "mlp-training" => MlpTraining(layout),
        "rnn-scan" => RnnScan(layout).Renderer,
        "cond" => Cond(layout, 2f).Renderer,
        "while-loop" => WhileLoop(layout, 10).Renderer,
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

    /// <summary>An RNN cell h' = tanh(x·Wx + h·Wh) unrolled by Scan over 5 steps of a [5, 2, 3] sequence, with the gradient of the mean output.</summary>
    public static (GraphRenderer Renderer, Node Scan, Node Step) RnnScan(PictureLayout layout = PictureLayout.Managed, bool reverse = false)
    {
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(5, 2, 3));
        var h0 = g.Placeholder("h0", new Shape(2, 4));
        var wx = g.Variable("Wx", Tensor.RandomNormal(new Shape(3, 4), seed: 1, stddev: 0.3));
        var wh = g.Variable("Wh", Tensor.RandomNormal(new Shape(4, 4), seed: 2, stddev: 0.3));
        Node step = null!;
        var (_, hs) = g.Scan((h, x) =>
        {
            step = (x[0].MatMul(wx) + h[0].MatMul(wh)).Tanh();
            return new ScanStep([step], [step]);
        }, [h0], [xs], reverse: reverse, name: "rnn");
        var loss = hs[0].Mean();
        var feeds = new Feeds { [xs] = Tensor.RandomNormal(new Shape(5, 2, 3), seed: 3), [h0] = Tensor.Zeros(new Shape(2, 4)) };
        var renderer = new GraphRenderer(g, new RenderOptions { Session = new Session(g), Feeds = feeds, Output = loss, Layout = layout });
        return (renderer, FirstControlFlow(g), step);
    }

    /// <summary>y = x² when x > 0, else −x (Cond with a captured weight), times w, at the given x.</summary>
    public static (GraphRenderer Renderer, Node Cond) Cond(PictureLayout layout, float x0)
    {
        var g = new Graph();
        var x = g.Placeholder("x", Shape.Scalar);
        var w = g.Variable("w", Tensor.Scalar(1.5f));
        var y = g.Cond(x.Greater(0f), () => x * x * w, () => -x, name: "branch");
        var loss = y * 2f;
        var renderer = new GraphRenderer(g, new RenderOptions { Session = new Session(g), Feeds = new Feeds { [x] = Tensor.Scalar(x0) }, Output = loss, Layout = layout });
        return (renderer, FirstControlFlow(g));
    }

    /// <summary>Halves v while it is above 1, at most 20 times (a WhileLoop with a captured rate), from v = <paramref name="v0"/>.</summary>
    public static (GraphRenderer Renderer, Node Loop) WhileLoop(PictureLayout layout, float v0)
    {
        var g = new Graph();
        var v = g.Placeholder("v", Shape.Scalar);
        var rate = g.Variable("rate", Tensor.Scalar(0.5f));
        var halved = g.WhileLoop(s => s[0].Greater(1f), s => [s[0] * rate], [v], maximumIterations: 20, name: "halve")[0];
        var loss = halved * 3f;
        var renderer = new GraphRenderer(g, new RenderOptions { Session = new Session(g), Feeds = new Feeds { [v] = Tensor.Scalar(v0) }, Output = loss, Layout = layout });
        return (renderer, FirstControlFlow(g));
    }

    /// <summary>The control-flow node built first (the forward one; derivatives come later).</summary>
    private static Node FirstControlFlow(Graph g) => g.Nodes.First(n => n.ControlFlow is not null);
}
