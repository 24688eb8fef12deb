namespace Nabla.Bench;

/// <summary>Training steps of the benchmark networks, built once; each call of the returned action is one step.</summary>
internal static class Models
{
    /// <summary>784-256-128-10 ReLU MLP, mean softmax cross-entropy, plain SGD (lr 0.01) updating variables in place.</summary>
    public static Action MlpStep(int batch)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([batch, 784]));
        var labels = g.Placeholder("labels", new Shape([batch, 10]));
        var (w1, b1) = Dense(g, "l1", 784, 256, 1);
        var (w2, b2) = Dense(g, "l2", 256, 128, 2);
        var (w3, b3) = Dense(g, "l3", 128, 10, 3);
        var h1 = (x.MatMul(w1) + b1).Relu();
        var h2 = (h1.MatMul(w2) + b2).Relu();
        var logits = h2.MatMul(w3) + b3;
        var loss = CrossEntropy(logits, labels);
        var train = Sgd(g, loss, 0.01, w1, b1, w2, b2, w3, b3);

        var session = new Session(g);
        var feeds = new Feeds
        {
            [x] = Tensor.RandomUniform(new Shape([batch, 784]), 11),
            [labels] = OneHot(batch, 10, 12),
        };
        Node[] fetches = [loss, train];
        return () => session.Run(fetches, feeds);
    }

    /// <summary>Mean over rows of −Σ labels·log softmax(logits), with the max subtracted for stability.</summary>
    private static Node CrossEntropy(Node logits, Node oneHot)
    {
        var z = logits - logits.Max([1], keepDims: true).StopGradient();
        var logSumExp = z.Exp().Sum([1], keepDims: true).Log();
        return ((logSumExp - z) * oneHot).Sum() * (1.0 / logits.Shape[0]);
    }

    private static Node Sgd(Graph g, Node loss, double lr, params Node[] vars)
    {
        var grads = g.Gradients(loss, vars);
        var updates = new Node[vars.Length];
        for (int i = 0; i < vars.Length; i++) updates[i] = vars[i].Assign(vars[i] - lr * grads[i]!);
        return g.Group(updates);
    }

    private static (Node W, Node B) Dense(Graph g, string name, int fanIn, int fanOut, int seed) =>
        (g.Variable(name + "/w", Tensor.RandomNormal(new Shape([fanIn, fanOut]), seed, 0, Math.Sqrt(2.0 / fanIn))),
         g.Variable(name + "/b", Tensor.Zeros(new Shape([fanOut]))));

    private static Tensor OneHot(int rows, int classes, int seed)
    {
        var rng = new Random(seed);
        var data = new float[rows * classes];
        for (int i = 0; i < rows; i++) data[i * classes + rng.Next(classes)] = 1;
        return Tensor.FromArray(data, rows, classes);
    }
}
