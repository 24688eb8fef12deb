namespace Nabla;

public sealed partial class Node
{
    /// <summary>The value that stands for −∞ in a boolean softmax mask: exp of it underflows to 0, yet its gradients stay finite.</summary>
    private const double MaskedLogit = -1e9;

    /// <summary>
    /// Softmax along <paramref name="axis"/> (default: the last) after masking: a bool <paramref name="mask"/> keeps
    /// positions where it is true and gives the others weight 0; a mask of this node's dtype is added to the logits
    /// (0 to keep, a large negative number to drop). The mask broadcasts. Composite of Where or Add and Softmax,
    /// so dx = y·(dy − Σ dy·y) at kept positions and 0 at dropped ones; a bool mask gets no gradient, an additive
    /// one the same gradient as the logits (summed over the axes it broadcasts along).
    /// A row with every position dropped comes out uniform.
    /// </summary>
    public Node MaskedSoftmax(Node mask, int axis = -1)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.DType == DType.Bool) return Where(mask, this, Lift(MaskedLogit)).Softmax(axis);
        if (mask.DType != DType)
            throw new DTypeMismatchException($"MaskedSoftmax of '{Name}' ({DType.Name()}): the mask '{mask.Name}' is {mask.DType.Name()}; give a bool mask or an additive mask of {DType.Name()}.");
        return (this + mask).Softmax(axis);
    }

    /// <summary>
    /// The causal mask of a sequence of <paramref name="length"/>: a bool constant [length, length] that is true where
    /// the key position j ≤ the query position i, so position i attends only to itself and earlier positions.
    /// </summary>
    public static Node CausalMask(Graph graph, int length)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (length <= 0) throw new InvalidGraphArgumentException($"CausalMask: the length must be positive, got {length}.");
        var keep = new bool[length * length];
        for (int i = 0; i < length; i++)
            for (int j = 0; j <= i; j++) keep[i * length + j] = true;
        return graph.Constant(Tensor.FromArray(keep, length, length), "causal_mask");
    }
}
