using System.Diagnostics;

namespace Nabla.NN;

/// <summary>The outcome of one pass over a data set.</summary>
public sealed record EpochStats(double Loss, double Accuracy, int Samples, double Seconds)
{
    /// <summary>Examples processed per second over the pass (0 when no time was measured).</summary>
    public double SamplesPerSecond => Seconds > 0 ? Samples / Seconds : 0;
}

/// <summary>Progress after one training batch: samples seen so far in the epoch and their running loss and accuracy.</summary>
public readonly record struct BatchProgress(int Samples, int Total, double Loss, double Accuracy, double Seconds);

/// <summary>
/// Trains a classifier: builds one graph with a training branch (softmax cross-entropy, the optimizer's
/// train node and the layers' state updates) and an inference branch that share the model's variables,
/// and runs mini-batch epochs and evaluations in one session. Without an optimizer, only the inference branch is built.
/// </summary>
public sealed class ClassifierTrainer : IDisposable
{
    /// <summary>Builds the graph for <paramref name="model"/> on examples of <paramref name="exampleShape"/> (e.g. [784] or [1, 28, 28]) and its session; with <paramref name="optimizer"/>, also the training branch.</summary>
    public ClassifierTrainer(Sequential model, int[] exampleShape, Optimizer? optimizer = null)
    {
        Model = model;
        Optimizer = optimizer;
        Graph = new Graph();
        X = Graph.Placeholder("x", new Shape([-1, .. exampleShape]));
        Labels = Graph.Placeholder("labels", new Shape(-1), DType.Int32);
        if (optimizer is not null)
        {
            // Built first and outside any name scope, so the variables are named after the layers alone ("dense1/kernel").
            TrainLogits = model.Apply(X, training: true);
            Loss = Losses.SoftmaxCrossEntropy(TrainLogits, Labels);
            // Checked before any update runs, so a step whose loss is NaN or ∞ fails without touching the weights.
            _checkedLoss = Loss.CheckNumerics($"the training loss '{Loss.Name}' is not finite");
            var step = optimizer.Minimize(_checkedLoss, model.TrainableVariables);
            TrainOp = model.UpdateOps.Count == 0 ? step : Graph.Group([step, .. model.UpdateOps]);
        }
        Logits = model.Apply(X, training: false);
        EvalLoss = Losses.SoftmaxCrossEntropy(Logits, Labels, "eval_loss");
        Session = new Session(Graph);
    }

    private readonly Node? _checkedLoss;

    /// <summary>The model being trained.</summary>
    public Sequential Model { get; }
    /// <summary>The optimizer of the training branch; null when only evaluating.</summary>
    public Optimizer? Optimizer { get; }
    /// <summary>The graph holding both branches.</summary>
    public Graph Graph { get; }
    /// <summary>The session holding the model's variables; save it with <see cref="Checkpoint"/>.</summary>
    public Session Session { get; }
    /// <summary>The input placeholder, [-1, ..example shape].</summary>
    public Node X { get; }
    /// <summary>The label placeholder, [-1], class ids as floats.</summary>
    public Node Labels { get; }
    /// <summary>The logits of the training branch (dropout on, batch statistics); null without an optimizer.</summary>
    public Node? TrainLogits { get; }
    /// <summary>The training loss, the node named "loss": mean softmax cross-entropy of <see cref="TrainLogits"/>; null without an optimizer.</summary>
    public Node? Loss { get; }
    /// <summary>One optimizer step with the layers' state updates; null without an optimizer.</summary>
    public Node? TrainOp { get; }
    /// <summary>Inference logits (dropout off, batch norm on moving averages).</summary>
    public Node Logits { get; }
    /// <summary>The mean softmax cross-entropy of the inference <see cref="Logits"/>, the node named "eval_loss".</summary>
    public Node EvalLoss { get; }

    /// <summary>Training steps taken so far (the schedule's step).</summary>
    public int Step { get; internal set; }

    /// <summary>
    /// One epoch over <paramref name="data"/> in the order of a shuffle drawn from <paramref name="random"/>.
    /// Stops after the current batch when <paramref name="cancel"/> is signalled; the stats cover the batches run.
    /// Throws <see cref="TrainingDivergedException"/> when a batch's loss is NaN or ∞, before that step changes any weight.
    /// </summary>
    public EpochStats TrainEpoch(Dataset data, int batchSize, Random random, Action<BatchProgress>? onBatch = null, CancellationToken cancel = default) =>
        TrainEpoch(data, batchSize, data.Shuffled(random), 0, onBatch, cancel);

    /// <summary>
    /// The batches of one epoch over <paramref name="data"/> in <paramref name="order"/>, from example <paramref name="start"/>
    /// (a resumed epoch starts where the interrupted one stopped). Stops after the current batch when <paramref name="cancel"/> is signalled.
    /// </summary>
    public EpochStats TrainEpoch(Dataset data, int batchSize, int[] order, int start, Action<BatchProgress>? onBatch = null, CancellationToken cancel = default)
    {
        if (batchSize <= 0) throw new InvalidGraphArgumentException($"Batch size must be positive, got {batchSize}.");
        if (Optimizer is null || TrainOp is null) throw new InvalidGraphArgumentException("This ClassifierTrainer was built without an optimizer; pass one to train.");
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int correct = 0, seen = 0;
        for (; start < data.Count && !cancel.IsCancellationRequested; start += batchSize)
        {
            int count = Math.Min(batchSize, data.Count - start);
            var (x, y) = data.Batch(order, start, count);
            Optimizer.SetStep(Session, Step);
            Tensor[] r;
            try { r = Session.Run([_checkedLoss!, TrainLogits!, TrainOp], new Feeds { [X] = x, [Labels] = y }); }
            catch (NonFiniteValueException e)
            {
                throw new TrainingDivergedException(
                    $"Training stopped at step {Step} (examples {start}–{start + count - 1} of the epoch): {e.Message} The weights are those after step {Step - 1}. Lower the learning rate.",
                    Loss!.Name, Step, e);
            }
            Step++;
            lossSum += r[0].Scalar<double>() * count;
            correct += CountCorrect(r[1], data.Labels, order, start);
            seen += count;
            onBatch?.Invoke(new BatchProgress(seen, data.Count, lossSum / seen, (double)correct / seen, clock.Elapsed.TotalSeconds));
        }
        return new EpochStats(seen == 0 ? double.NaN : lossSum / seen, seen == 0 ? 0 : (double)correct / seen, seen, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Mean loss and accuracy of the inference branch on <paramref name="data"/>; fills <paramref name="confusion"/>[true, predicted] when given.</summary>
    public EpochStats Evaluate(Dataset data, int batchSize = 1000, int[,]? confusion = null)
    {
        var order = data.Sequence();
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, data.Count - start);
            var (x, y) = data.Batch(order, start, count);
            var r = Session.Run([EvalLoss, Logits], new Feeds { [X] = x, [Labels] = y });
            lossSum += r[0].Scalar<double>() * count;
            var predicted = ArgMax(r[1]);
            for (int i = 0; i < count; i++)
            {
                int truth = data.Labels[start + i];
                if (predicted[i] == truth) correct++;
                if (confusion is not null) confusion[truth, predicted[i]]++;
            }
        }
        return new EpochStats(lossSum / Math.Max(1, data.Count), (double)correct / Math.Max(1, data.Count), data.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The index of the largest logit in each row of [N, K] logits.</summary>
    public static int[] ArgMax(Tensor logits)
    {
        int n = logits.Shape[0], k = logits.Shape[1];
        var values = logits.ToArray<float>();
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = values.AsSpan(i * k, k);
            int best = 0;
            for (int j = 1; j < k; j++) if (row[j] > row[best]) best = j;
            result[i] = best;
        }
        return result;
    }

    private static int CountCorrect(Tensor logits, int[] labels, int[] order, int start)
    {
        var predicted = ArgMax(logits);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++) if (predicted[i] == labels[order[start + i]]) correct++;
        return correct;
    }

    /// <summary>Disposes the session.</summary>
    public void Dispose() => Session.Dispose();
}
