using Nabla.Bench.Common;

namespace Nabla.Bench;

/// <summary>Training steps of the benchmark networks, built once; each call of the returned action is one step.</summary>
internal static class Models
{
    private const double LearningRate = 0.01;

    /// <summary>784-256-128-10 ReLU MLP, mean softmax cross-entropy, plain SGD updating variables in place.</summary>
    public static Action MlpStep(int batch)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([batch, 784]));
        var labels = g.Placeholder("labels", new Shape([batch]));
        var (w1, b1) = Dense(g, "l1", 784, 256, 1);
        var (w2, b2) = Dense(g, "l2", 256, 128, 2);
        var (w3, b3) = Dense(g, "l3", 128, 10, 3);
        var h1 = (x.MatMul(w1) + b1).Relu();
        var h2 = (h1.MatMul(w2) + b2).Relu();
        var logits = h2.MatMul(w3) + b3;
        var loss = Node.SoftmaxCrossEntropy(logits, labels).Mean();
        var train = Sgd(g, loss, w1, b1, w2, b2, w3, b3);
        var feeds = new Feeds
        {
            [x] = Tensor.RandomUniform(new Shape([batch, 784]), 11),
            [labels] = Labels(batch, 10, 12),
        };
        return Step(g, loss, train, feeds);
    }

    /// <summary>
    /// LeNet-5 on 1×28×28 inputs: conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2,
    /// dense 400-120-84-10 with ReLU, mean softmax cross-entropy, plain SGD.
    /// </summary>
    public static Action LeNetStep(int batch)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape([batch, 1, 28, 28]));
        var labels = g.Placeholder("labels", new Shape([batch]));
        var f1 = Filter(g, "c1", 6, 1, 5, 21); var c1b = g.Variable("c1/b", Tensor.Zeros(new Shape([6, 1, 1])));
        var f2 = Filter(g, "c2", 16, 6, 5, 22); var c2b = g.Variable("c2/b", Tensor.Zeros(new Shape([16, 1, 1])));
        var (w3, b3) = Dense(g, "d1", 400, 120, 23);
        var (w4, b4) = Dense(g, "d2", 120, 84, 24);
        var (w5, b5) = Dense(g, "d3", 84, 10, 25);
        var h = (x.Conv2D(f1, padding: 2) + c1b).Relu().MaxPool2D(2, 2);
        h = (h.Conv2D(f2) + c2b).Relu().MaxPool2D(2, 2).Reshape(batch, 400);
        h = (h.MatMul(w3) + b3).Relu();
        h = (h.MatMul(w4) + b4).Relu();
        var loss = Node.SoftmaxCrossEntropy(h.MatMul(w5) + b5, labels).Mean();
        var train = Sgd(g, loss, f1, c1b, f2, c2b, w3, b3, w4, b4, w5, b5);
        var feeds = new Feeds
        {
            [x] = Tensor.RandomUniform(new Shape([batch, 1, 28, 28]), 26),
            [labels] = Labels(batch, 10, 27),
        };
        return Step(g, loss, train, feeds);
    }

    /// <summary>
    /// The default model of <c>nabla lm train --model lstm</c> (<see cref="LstmLmShape"/>): embedding, LSTM, projection,
    /// mean softmax cross-entropy at every position, AdamW (3e-3, weight decay 0.01) with clipping at global norm 1, on
    /// one fixed batch of random ids.
    /// </summary>
    public static Action LstmLmStep()
    {
        var g = new Graph();
        var ids = g.Placeholder("ids", new Shape([LstmLmShape.Batch, LstmLmShape.Context]), DType.Int32);
        var targets = g.Placeholder("targets", new Shape([LstmLmShape.Batch * LstmLmShape.Context]), DType.Int32);
        var model = new Nabla.NN.CharLstm(new Nabla.NN.CharLstmConfig(LstmLmShape.Vocabulary, LstmLmShape.Context, LstmLmShape.Embedding, LstmLmShape.Hidden, 1));
        var logits = model.Apply(ids, training: true).Reshape(-1, LstmLmShape.Vocabulary);
        var loss = Node.SoftmaxCrossEntropy(logits, targets).Mean();
        var train = new Nabla.NN.AdamW(3e-3, 0.01) { ClipNorm = 1 }.Minimize(loss, model.TrainableVariables);
        var random = new Random(31);
        int[] RandomIds(int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(LstmLmShape.Vocabulary))];
        var feeds = new Feeds
        {
            [ids] = Tensor.FromArray(RandomIds(LstmLmShape.Batch * LstmLmShape.Context), LstmLmShape.Batch, LstmLmShape.Context),
            [targets] = Tensor.FromArray(RandomIds(LstmLmShape.Batch * LstmLmShape.Context), LstmLmShape.Batch * LstmLmShape.Context),
        };
        return Step(g, loss, train, feeds);
    }

    private static Action Step(Graph g, Node loss, Node train, Feeds feeds)
    {
        var session = new Session(g);
        Node[] fetches = [loss, train];
        return () => session.Run(fetches, feeds);
    }

    private static Node Sgd(Graph g, Node loss, params Node[] vars)
    {
        var grads = g.Gradients(loss, vars);
        var updates = new Node[vars.Length];
        for (int i = 0; i < vars.Length; i++) updates[i] = vars[i].Assign(vars[i] - LearningRate * grads[i]!);
        return g.Group(updates);
    }

    private static (Node W, Node B) Dense(Graph g, string name, int fanIn, int fanOut, int seed) =>
        (g.Variable(name + "/w", Tensor.RandomNormal(new Shape([fanIn, fanOut]), seed, 0, Math.Sqrt(2.0 / fanIn))),
         g.Variable(name + "/b", Tensor.Zeros(new Shape([fanOut]))));

    private static Node Filter(Graph g, string name, int outChannels, int inChannels, int size, int seed) =>
        g.Variable(name + "/f", Tensor.RandomNormal(new Shape([outChannels, inChannels, size, size]), seed, 0, Math.Sqrt(2.0 / (inChannels * size * size))));

    /// <summary>Class ids 0..classes-1 as floats, one per row.</summary>
    private static Tensor Labels(int rows, int classes, int seed)
    {
        var rng = new Random(seed);
        var data = new float[rows];
        for (int i = 0; i < rows; i++) data[i] = rng.Next(classes);
        return Tensor.FromArray(data, rows);
    }
}
