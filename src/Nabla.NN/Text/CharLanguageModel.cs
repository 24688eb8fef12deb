namespace Nabla.NN;

/// <summary>
/// A <see cref="CharModel"/> (a <see cref="CharTransformer"/> or a <see cref="CharLstm"/>) with its session: one training step on random windows of a character stream
/// (next-character cross-entropy at every position), the validation loss in nats per character, sampling of words,
/// and the attention weights of a head. Training and inference share the variables.
/// </summary>
public sealed class CharLanguageModel : IDisposable
{
    private readonly Node _inputs, _targets, _trainLoss, _evalLoss, _evalLogits;
    private readonly Node? _trainStep;
    private readonly Node[] _attention;

    /// <summary>Builds a transformer; with an <paramref name="optimizer"/> it can also train (its Minimize is called here).</summary>
    public CharLanguageModel(CharTransformerConfig config, Optimizer? optimizer = null) : this(new CharTransformer(config), optimizer) { }

    /// <summary>Builds an LSTM model; with an <paramref name="optimizer"/> it can also train (its Minimize is called here).</summary>
    public CharLanguageModel(CharLstmConfig config, Optimizer? optimizer = null) : this(new CharLstm(config), optimizer) { }

    /// <summary>Builds <paramref name="model"/> (not yet applied); with an <paramref name="optimizer"/> it can also train (its Minimize is called here).</summary>
    public CharLanguageModel(CharModel model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        Graph = new Graph();
        int context = model.Context;
        _inputs = Graph.Placeholder("inputs", new Shape(-1, context), DType.Int32);
        _targets = Graph.Placeholder("targets", new Shape(-1), DType.Int32); // flat: batch·context next ids
        _trainLoss = Loss(Model.Apply(_inputs, training: true));
        _evalLogits = Model.Apply(_inputs, training: false);
        _evalLoss = Loss(_evalLogits);
        _attention = Model is CharTransformer transformer ? transformer.Blocks.Select(b => b.Attention.Weights!).ToArray() : [];
        if (optimizer is not null) _trainStep = optimizer.Minimize(_trainLoss, Model.TrainableVariables);
        Optimizer = optimizer;
        Session = new Session(Graph);
    }

    private Node Loss(Node logits) =>
        Node.SoftmaxCrossEntropy(logits.Reshape(-1, Model.Vocabulary), _targets).Mean();

    /// <summary>The model.</summary>
    public CharModel Model { get; }
    /// <summary>The graph holding the model, its losses and (when training) the update step.</summary>
    public Graph Graph { get; }
    /// <summary>The session holding the variables.</summary>
    public Session Session { get; }
    /// <summary>The optimizer, or null for a model that only evaluates and samples.</summary>
    public Optimizer? Optimizer { get; }
    /// <summary>The number of training steps taken.</summary>
    public int Step { get; private set; }

    /// <summary>One update on <paramref name="batch"/> windows of context + 1 ids drawn at random from <paramref name="stream"/>; returns the batch's mean loss before the update.</summary>
    public double TrainStep(int[] stream, int batch, Random random)
    {
        if (_trainStep is null) throw new InvalidGraphArgumentException("CharLanguageModel: this model was built without an optimizer; it cannot train.");
        int context = Model.Context;
        if (stream.Length < context + 1) throw new DatasetException($"The training text has {stream.Length} characters; the context needs {context + 1}.");
        if (_train?.Batch != batch) _train = new TrainBuffers(batch, context, this);
        var inputs = _train.Inputs.AsSpan<int>();
        var targets = _train.Targets.AsSpan<int>();
        for (int b = 0; b < batch; b++)
        {
            int start = random.Next(stream.Length - context);
            stream.AsSpan(start, context).CopyTo(inputs.Slice(b * context, context));
            stream.AsSpan(start + 1, context).CopyTo(targets.Slice(b * context, context));
        }
        Optimizer!.SetStep(Session, Step);
        Session.Run(_train.Fetches, _train.Feeds, _train.Results);
        Step++;
        return _train.Results[0].GetFlat(0);
    }

    /// <summary>The targets that <see cref="Evaluate"/> scores in a stream of <paramref name="length"/>: [1, 1 + context·⌊(length − 1)/context⌋).</summary>
    public static (int First, int End) EvaluatedTargets(int length, int context) => (1, 1 + context * ((length - 1) / context));

    /// <summary>
    /// The mean next-character loss in nats over <see cref="EvaluatedTargets"/> of <paramref name="stream"/>, read in
    /// consecutive windows of context + 1 ids (each target sees the earlier ids of its window), without dropout.
    /// </summary>
    public double Evaluate(int[] stream, int batch = 256)
    {
        int context = Model.Context, windows = (stream.Length - 1) / context;
        if (windows == 0) throw new DatasetException($"The validation text has {stream.Length} characters; the context needs {context + 1}.");
        double total = 0;
        for (int w0 = 0; w0 < windows; w0 += batch)
        {
            int n = Math.Min(batch, windows - w0);
            var inputs = new int[n * context];
            var targets = new int[n * context];
            for (int b = 0; b < n; b++)
            {
                Array.Copy(stream, (w0 + b) * context, inputs, b * context, context);
                Array.Copy(stream, (w0 + b) * context + 1, targets, b * context, context);
            }
            total += Session.Run(_evalLoss, Feeds(inputs, targets, n)).ToArray<double>()[0] * n;
        }
        return total / windows;
    }

    /// <summary>
    /// A word drawn one character at a time from softmax(logits/<paramref name="temperature"/>) after the separator, until
    /// the separator comes again or <paramref name="maxLength"/> characters; the context slides when it is full.
    /// </summary>
    public string SampleWord(CharVocabulary vocabulary, Random random, double temperature = 1.0, int maxLength = 40)
    {
        if (!(temperature > 0)) throw new InvalidGraphArgumentException($"Sampling: the temperature must be positive, got {temperature}.");
        int context = Model.Context;
        var ids = new List<int> { 0 };
        var word = new System.Text.StringBuilder();
        while (word.Length < maxLength)
        {
            var window = ids.Skip(Math.Max(0, ids.Count - context)).ToArray();
            var inputs = new int[context];
            window.CopyTo(inputs, 0); // causal: the positions after the window do not change its logits
            var logits = Session.Run(_evalLogits, new Feeds { [_inputs] = Tensor.FromArray(inputs, 1, context) }).ToArray<double>();
            int next = Draw(logits.AsSpan((window.Length - 1) * vocabulary.Count, vocabulary.Count), temperature, random);
            if (next == 0) break;
            ids.Add(next);
            word.Append(vocabulary.Characters[next]);
        }
        return word.ToString();
    }

    private static int Draw(ReadOnlySpan<double> logits, double temperature, Random random)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var p = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += p[i] = Math.Exp((logits[i] - max) / temperature);
        double u = random.NextDouble() * sum;
        for (int i = 0; i < p.Length; i++)
            if ((u -= p[i]) <= 0) return i;
        return p.Length - 1;
    }

    /// <summary>The attention weights [heads, n, n] of block <paramref name="layer"/> on the first n ≤ context ids of <paramref name="ids"/>.</summary>
    public double[,,] Attention(int[] ids, int layer)
    {
        int context = Model.Context, n = Math.Min(ids.Length, context);
        if (_attention.Length == 0) throw new InvalidGraphArgumentException($"Attention: the {Model.Kind} model has no attention heads; only a transformer has.");
        if (layer < 0 || layer >= _attention.Length) throw new InvalidGraphArgumentException($"Attention: the model has blocks 0 to {_attention.Length - 1}, not {layer}.");
        var inputs = new int[context];
        Array.Copy(ids, inputs, n);
        var w = Session.Run(_attention[layer], new Feeds { [_inputs] = Tensor.FromArray(inputs, 1, context) }).ToArray<double>();
        int heads = ((CharTransformer)Model).Config.Heads;
        var result = new double[heads, n, n];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) result[h, i, j] = w[(h * context + i) * context + j];
        return result;
    }

    private TrainBuffers? _train;

    /// <summary>The fed windows and the results of training steps of one batch size, made once, so that a step allocates nothing.</summary>
    private sealed class TrainBuffers
    {
        public TrainBuffers(int batch, int context, CharLanguageModel model)
        {
            Batch = batch;
            Inputs = Tensor.Zeros(new Shape(batch, context), DType.Int32);
            Targets = Tensor.Zeros(new Shape(batch * context), DType.Int32);
            Feeds = new Feeds { [model._inputs] = Inputs, [model._targets] = Targets };
            Fetches = [model._trainLoss, model._trainStep!];
            Results = model.Session.CreateResults(Fetches, Feeds);
        }

        public int Batch { get; }
        public Tensor Inputs { get; }
        public Tensor Targets { get; }
        public Feeds Feeds { get; }
        public Node[] Fetches { get; }
        public Tensor[] Results { get; }
    }

    private Feeds Feeds(int[] inputs, int[] targets, int batch) => new()
    {
        [_inputs] = Tensor.FromArray(inputs, batch, Model.Context),
        [_targets] = Tensor.FromArray(targets, batch * Model.Context),
    };

    /// <inheritdoc/>
    public void Dispose() => Session.Dispose();
}
