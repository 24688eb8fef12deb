namespace Nabla.NN;

/// <summary>Reshapes [N, d1, d2, ...] to [N, d1·d2·...]; every dimension but the batch must be known.</summary>
public sealed class Flatten : Layer
{
    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        if (x.Shape.IsUnknownRank)
            throw new ShapeMismatchException($"Flatten '{Name}': the input '{x.Name}' has an unknown rank; give it a shape such as [-1, C, H, W].");
        int size = 1;
        for (int i = 1; i < x.Shape.Rank; i++) size *= KnownDim(x, i, x.Shape.Rank);
        return x.Reshape(-1, size);
    }
}
