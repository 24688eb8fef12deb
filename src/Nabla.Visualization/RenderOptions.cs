namespace Nabla.Visualization;

/// <summary>What <see cref="GraphRenderer"/> draws and how it annotates it.</summary>
public sealed record RenderOptions
{
    /// <summary>Draw these nodes and everything they depend on (with <see cref="Output"/>'s ancestors). Default: the whole forward graph.</summary>
    public IReadOnlyList<Node>? Fetches { get; init; }

    /// <summary>When set with <see cref="Feeds"/>, each node is annotated with its forward value (green) and each edge with its local partial derivative.</summary>
    public Session? Session { get; init; }

    /// <summary>The placeholders' values for the annotations; used with <see cref="Session"/>.</summary>
    public Feeds? Feeds { get; init; }

    /// <summary>The node whose gradient (of the sum of its elements) with respect to every drawn node is shown in red.</summary>
    public Node? Output { get; init; }

    /// <summary>Name scopes drawn as one box each, e.g. "layer1": keeps large graphs readable.</summary>
    public IReadOnlyCollection<string> CollapsedScopes { get; init; } = [];

    /// <summary>Also draw the nodes that compute gradients (name scope "gradients/"); by default gradients appear only as red annotations.</summary>
    public bool ShowGradientNodes { get; init; }

    /// <summary>How many elements of a tensor a label shows after its shape.</summary>
    public int MaxValues { get; init; } = 3;

    /// <summary>Who lays out SVG and PNG pictures: the managed layout (default) or Graphviz. DOT text and the HTML page do not depend on it.</summary>
    public PictureLayout Layout { get; init; } = PictureLayout.Managed;

    /// <summary>The Graphviz <c>dot</c> program, used when <see cref="Layout"/> is <see cref="PictureLayout.Graphviz"/>; null looks it up on PATH.</summary>
    public string? DotExecutable { get; init; }
}
