namespace Nabla.NN;

/// <summary>The shape of a <see cref="CharLstm"/>: vocabulary, context length, embedding width, hidden size and seed.</summary>
public sealed record CharLstmConfig(int Vocabulary, int Context = 16, int Embedding = 64, int Hidden = 256, int Seed = 0)
{
    /// <summary>Throws <see cref="InvalidGraphArgumentException"/> naming the first setting out of range.</summary>
    public CharLstmConfig Validate()
    {
        if (Vocabulary < 2) throw new InvalidGraphArgumentException($"CharLstm: the vocabulary needs at least 2 characters, got {Vocabulary}.");
        if (Context < 1 || Embedding < 1 || Hidden < 1)
            throw new InvalidGraphArgumentException($"CharLstm: context ({Context}), embedding width ({Embedding}) and hidden size ({Hidden}) must be positive.");
        return this;
    }
}

/// <summary>
/// A recurrent character model: embedding, one <see cref="Lstm"/> over the window from a zero state, and a dense head
/// to one logit per character: ids [N, T] (int32) → logits [N, T, vocabulary]. Position t sees ids 0..t only.
/// </summary>
public sealed class CharLstm : CharModel
{
    private readonly Embedding _tokens;
    private readonly Lstm _lstm;
    private readonly Dense _head;

    /// <summary>A model of the given shape; its layers' seeds derive from the config's seed.</summary>
    public CharLstm(CharLstmConfig config)
    {
        Config = config.Validate();
        Name = "lstm_lm";
        int seed = config.Seed;
        _tokens = new Embedding(config.Vocabulary, config.Embedding, stddev: 1) { Name = "tokens", Seed = unchecked(seed * 131 + 1) };
        _lstm = new Lstm(config.Hidden) { Name = "lstm", Seed = unchecked(seed * 131 + 2) };
        _head = new Dense(config.Vocabulary) { Name = "head", Seed = unchecked(seed * 131 + 3) };
    }

    /// <summary>The model's shape.</summary>
    public CharLstmConfig Config { get; }
    /// <inheritdoc/>
    public override int Vocabulary => Config.Vocabulary;
    /// <inheritdoc/>
    public override int Context => Config.Context;
    /// <inheritdoc/>
    public override string Kind => "lstm";

    private IEnumerable<Layer> Parts => [_tokens, _lstm, _head];

    /// <inheritdoc/>
    public override IReadOnlyList<Node> Variables => Parts.SelectMany(p => p.Variables).ToArray();
    /// <inheritdoc/>
    public override IReadOnlyList<Node> TrainableVariables => Parts.SelectMany(p => p.TrainableVariables).ToArray();

    /// <inheritdoc/>
    protected override string Settings => $"vocabulary={Vocabulary}, context={Context}, embedding={Config.Embedding}, hidden={Config.Hidden}";

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        if (x.Shape.Rank != 2 || x.Shape[1] != Context)
            throw new ShapeMismatchException($"CharLstm: the ids '{x.Name}' have shape {x.Shape}; they need [N, {Context}].");
        return _head.Apply(_lstm.Apply(_tokens.Apply(x)));
    }
}
