using Nabla.Bench.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Bench.TorchSharp;

/// <summary>
/// Training steps of the benchmark networks of bench/Nabla.Bench/Models.cs, built once with torch.nn modules; each
/// call of the returned action is one step: zero the gradients, forward, mean softmax cross-entropy, backward, SGD.
/// </summary>
internal static class Models
{
    private const double LearningRate = 0.01;

    /// <summary>784-256-128-10 ReLU MLP on uniform random inputs and random integer labels.</summary>
    public static Action MlpStep(int batch)
    {
        torch.manual_seed(11);
        var model = nn.Sequential(
            Dense(784, 256), nn.ReLU(),
            Dense(256, 128), nn.ReLU(),
            Dense(128, 10));
        return Step(model, rand(batch, 784), Labels(batch, 10));
    }

    /// <summary>
    /// LeNet-5 on 1×28×28 inputs: conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2,
    /// flatten to 400, dense 400-120-84-10 with ReLU.
    /// </summary>
    public static Action LeNetStep(int batch)
    {
        torch.manual_seed(21);
        var model = nn.Sequential(
            Conv(1, 6, 5, padding: 2), nn.ReLU(), nn.MaxPool2d(2, 2),
            Conv(6, 16, 5, padding: 0), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Flatten(),
            Dense(400, 120), nn.ReLU(),
            Dense(120, 84), nn.ReLU(),
            Dense(84, 10));
        return Step(model, rand(batch, 1, 28, 28), Labels(batch, 10));
    }

    /// <summary>
    /// The default model of <c>nabla lm train --model lstm</c> (<see cref="LstmLmShape"/>) as in Nabla.Bench: embedding,
    /// torch.nn.LSTM (batch first, one layer), linear head, mean cross-entropy at every position, AdamW (3e-3, weight
    /// decay 0.01) after clipping the gradients at global norm 1, on one fixed batch of random ids.
    /// </summary>
    public static Action LstmLmStep()
    {
        torch.manual_seed(31);
        var embedding = nn.Embedding(LstmLmShape.Vocabulary, LstmLmShape.Embedding);
        var lstm = nn.LSTM(LstmLmShape.Embedding, LstmLmShape.Hidden, batchFirst: true);
        var head = nn.Linear(LstmLmShape.Hidden, LstmLmShape.Vocabulary);
        var parameters = embedding.parameters().Concat(lstm.parameters()).Concat(head.parameters()).ToArray();
        var optimizer = optim.AdamW(parameters, lr: 3e-3, weight_decay: 0.01);
        var ids = randint(0, LstmLmShape.Vocabulary, [LstmLmShape.Batch, LstmLmShape.Context], dtype: int64);
        var targets = randint(0, LstmLmShape.Vocabulary, [LstmLmShape.Batch * LstmLmShape.Context], dtype: int64);
        return () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (hidden, _, _) = lstm.forward(embedding.forward(ids));
            var logits = head.forward(hidden).reshape(-1, LstmLmShape.Vocabulary);
            var loss = nn.functional.cross_entropy(logits, targets);
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
        };
    }

    private static Action Step(Sequential model, Tensor x, Tensor labels)
    {
        var optimizer = optim.SGD(model.parameters(), LearningRate);
        return () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), labels);
            loss.backward();
            optimizer.step();
        };
    }

    /// <summary>A dense layer (x·Wᵀ + b) with He-normal weights, std √(2/fanIn), and zero bias, as in Nabla.Bench.</summary>
    private static Linear Dense(int fanIn, int fanOut)
    {
        var layer = nn.Linear(fanIn, fanOut);
        Initialise(layer.weight!, layer.bias!, fanIn);
        return layer;
    }

    /// <summary>A convolution with He-normal filters, std √(2/(inChannels·size²)), and zero bias, as in Nabla.Bench.</summary>
    private static Conv2d Conv(int inChannels, int outChannels, int size, int padding)
    {
        var layer = nn.Conv2d(inChannels, outChannels, size, stride: 1, padding: padding);
        Initialise(layer.weight!, layer.bias!, inChannels * size * size);
        return layer;
    }

    private static void Initialise(Tensor weight, Tensor bias, int fanIn)
    {
        using var noGrad = no_grad();
        weight.normal_(0, Math.Sqrt(2.0 / fanIn));
        bias.zero_();
    }

    /// <summary>Class ids 0..classes-1 as int64, one per row, as cross_entropy expects.</summary>
    private static Tensor Labels(int rows, int classes) => randint(0, classes, [rows], dtype: int64);
}
