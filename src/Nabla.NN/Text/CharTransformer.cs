namespace Nabla.NN;

/// <summary>The shape of a <see cref="CharTransformer"/>: vocabulary, context length, width, depth, heads, dropout and seed.</summary>
public sealed record CharTransformerConfig(int Vocabulary, int Context = 16, int Width = 64, int Layers = 2, int Heads = 4, double Dropout = 0, int Seed = 0)
{
    /// <summary>Throws <see cref="InvalidGraphArgumentException"/> naming the first setting out of range.</summary>
    public CharTransformerConfig Validate()
    {
        if (Vocabulary < 2) throw new InvalidGraphArgumentException($"CharTransformer: the vocabulary needs at least 2 characters, got {Vocabulary}.");
        if (Context < 1 || Width < 1 || Layers < 1 || Heads < 1)
            throw new InvalidGraphArgumentException($"CharTransformer: context ({Context}), width ({Width}), layers ({Layers}) and heads ({Heads}) must be positive.");
        if (Width % Heads != 0) throw new InvalidGraphArgumentException($"CharTransformer: the width {Width} does not divide into {Heads} heads.");
        if (Dropout is < 0 or >= 1) throw new InvalidGraphArgumentException($"CharTransformer: dropout must be in [0, 1), got {Dropout}.");
        return this;
    }
}

/// <summary>
/// A decoder-only character transformer (GPT style): token embedding plus learned positional embedding, then
/// <see cref="CharTransformerConfig.Layers"/> causal pre-norm <see cref="TransformerBlock"/>s, a final layer norm and a
/// dense head to one logit per character: ids [N, T] (int32) → logits [N, T, vocabulary]. Position t sees ids 0..t only.
/// </summary>
public sealed class CharTransformer : CharModel
{
    private readonly Embedding _tokens;
    private readonly PositionalEmbedding _positions;
    private readonly TransformerBlock[] _blocks;
    private readonly LayerNorm _norm = new() { Name = "norm" };
    private readonly Dense _head;

    /// <summary>A model of the given shape; its layers' seeds derive from the config's seed.</summary>
    public CharTransformer(CharTransformerConfig config)
    {
        Config = config.Validate();
        Name = "transformer";
        int seed = config.Seed;
        _tokens = new Embedding(config.Vocabulary, config.Width) { Name = "tokens", Seed = unchecked(seed * 131 + 1) };
        _positions = new PositionalEmbedding(config.Context) { Name = "positions", Seed = unchecked(seed * 131 + 2) };
        _blocks = Enumerable.Range(0, config.Layers)
            .Select(i => new TransformerBlock(config.Heads, causal: true, dropout: config.Dropout) { Name = $"block{i}", Seed = unchecked(seed * 131 + 10 + i) })
            .ToArray();
        _head = new Dense(config.Vocabulary) { Name = "head", Seed = unchecked(seed * 131 + 3) };
    }

    /// <summary>The model's shape.</summary>
    public CharTransformerConfig Config { get; }

    /// <inheritdoc/>
    public override int Vocabulary => Config.Vocabulary;
    /// <inheritdoc/>
    public override int Context => Config.Context;
    /// <inheritdoc/>
    public override string Kind => "transformer";

    /// <summary>The blocks, first to last (each block's attention weights show what it looks at).</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;

    private IEnumerable<Layer> Parts => new Layer[] { _tokens, _positions }.Concat(_blocks).Append(_norm).Append(_head);

    /// <inheritdoc/>
    public override IReadOnlyList<Node> Variables => Parts.SelectMany(p => p.Variables).ToArray();
    /// <inheritdoc/>
    public override IReadOnlyList<Node> TrainableVariables => Parts.SelectMany(p => p.TrainableVariables).ToArray();

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        if (x.Shape.Rank != 2 || x.Shape[1] != Config.Context)
            throw new ShapeMismatchException($"CharTransformer: the ids '{x.Name}' have shape {x.Shape}; they need [N, {Config.Context}].");
        var h = _positions.Apply(_tokens.Apply(x), training);
        foreach (var block in _blocks) h = block.Apply(h, training);
        return _head.Apply(_norm.Apply(h));
    }
}
