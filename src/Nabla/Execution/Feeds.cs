namespace Nabla;

/// <summary>Values to feed when running: <c>new Feeds { [a] = 3f, [x] = batch }</c>. Feeding any node overrides it.</summary>
public sealed class Feeds : Dictionary<Node, Tensor>;
