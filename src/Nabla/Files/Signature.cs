namespace Nabla;

/// <summary>
/// A named entry point of a saved model: the nodes to feed (by input name) and the nodes to fetch (by output name),
/// e.g. "serve": x → logits, or "train": x, labels → loss, step.
/// </summary>
public sealed class Signature(IReadOnlyDictionary<string, Node> inputs, IReadOnlyDictionary<string, Node> outputs)
{
    /// <summary>Nodes to feed, by input name.</summary>
    public IReadOnlyDictionary<string, Node> Inputs { get; } = inputs;

    /// <summary>Nodes to fetch, by output name.</summary>
    public IReadOnlyDictionary<string, Node> Outputs { get; } = outputs;

    /// <summary>The input called <paramref name="name"/>, or a <see cref="ModelFileException"/> listing the inputs there are.</summary>
    public Node Input(string name) => Inputs.TryGetValue(name, out var n) ? n
        : throw new ModelFileException($"The signature has no input '{name}'; its inputs are {string.Join(", ", Inputs.Keys.Select(k => $"'{k}'"))}.");

    /// <summary>The output called <paramref name="name"/>, or a <see cref="ModelFileException"/> listing the outputs there are.</summary>
    public Node Output(string name) => Outputs.TryGetValue(name, out var n) ? n
        : throw new ModelFileException($"The signature has no output '{name}'; its outputs are {string.Join(", ", Outputs.Keys.Select(k => $"'{k}'"))}.");
}

/// <summary>A model loaded from a file: a fresh graph, a session holding the saved variable values, the signatures and metadata.</summary>
public sealed class LoadedModel(Graph graph, Session session, IReadOnlyDictionary<string, Signature> signatures, IReadOnlyDictionary<string, string> metadata) : IDisposable
{
    /// <summary>The graph rebuilt from the file.</summary>
    public Graph Graph { get; } = graph;

    /// <summary>A session over <see cref="Graph"/> whose variables start at the saved values.</summary>
    public Session Session { get; } = session;

    /// <summary>The named entry points, e.g. "serve" and "train".</summary>
    public IReadOnlyDictionary<string, Signature> Signatures { get; } = signatures;

    /// <summary>Free-form strings saved with the model (e.g. the architecture name, training state).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    /// <summary>The signature called <paramref name="name"/>, or a <see cref="ModelFileException"/> listing those there are.</summary>
    public Signature Signature(string name) => Signatures.TryGetValue(name, out var s) ? s
        : throw new ModelFileException($"The model has no signature '{name}'; it has {string.Join(", ", Signatures.Keys.Select(k => $"'{k}'"))}.");

    /// <summary>The node called <paramref name="name"/> in the loaded graph.</summary>
    public Node Node(string name) => Graph.Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new ModelFileException($"The model has no node '{name}'.");

    /// <summary>Disposes the session.</summary>
    public void Dispose() => Session.Dispose();
}
