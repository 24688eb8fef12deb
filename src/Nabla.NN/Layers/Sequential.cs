namespace Nabla.NN;

/// <summary>
/// Layers applied one after another. Names each unnamed layer by its type and position ("dense2") and
/// gives each a seed derived from the model's, so a model built twice with one seed starts identical.
/// </summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;

    /// <summary>The layers applied in order; each layer without a name is named after its type and position ("dense0") and gets a seed derived from <paramref name="seed"/>.</summary>
    public Sequential(int seed, params Layer[] layers)
    {
        if (layers.Length == 0) throw new InvalidGraphArgumentException("Sequential needs at least one layer.");
        _layers = layers;
        Seed = seed;
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i].Name ??= $"{layers[i].GetType().Name.ToLowerInvariant()}{i}";
            layers[i].Seed = unchecked(seed * 1_000_003 + i * 7_919);
        }
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;
    /// <inheritdoc/>
    public override IReadOnlyList<Node> Variables => _layers.SelectMany(l => l.Variables).ToArray();
    /// <inheritdoc/>
    public override IReadOnlyList<Node> TrainableVariables => _layers.SelectMany(l => l.TrainableVariables).ToArray();
    /// <inheritdoc/>
    public override IReadOnlyList<Node> UpdateOps => _layers.SelectMany(l => l.UpdateOps).ToArray();

    /// <summary>Applies each layer in turn, without a name scope of its own, so variables are named "dense0/kernel".</summary>
    public new Node Apply(Node x, bool training = false)
    {
        foreach (var layer in _layers) x = layer.Apply(x, training);
        return x;
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => Apply(x, training);

    /// <summary>Each layer on a line of its own under its name, PyTorch style: "Sequential(\n  (dense1): Dense(units=256, activation=Relu)\n  ...)".</summary>
    public override string ToString() =>
        $"Sequential(\n{string.Concat(_layers.Select(l => $"  ({l.Name}): {l}\n"))})";

    /// <summary>
    /// A table of the layers, Keras style: each layer's name, type, output shape and parameter count, then the totals.
    /// Output shapes and parameters are known once the model has been applied to an input; before that they print as "?" and 0.
    /// </summary>
    public string Summary() => ModelSummary.Write(this);
}
