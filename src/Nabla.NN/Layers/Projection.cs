namespace Nabla.NN;

/// <summary>x·W (+ b) along the last axis of x of any rank ≥ 2: one matrix product over the flattened leading axes.</summary>
internal static class Projection
{
    public static Node Apply(Node x, Node kernel, Node? bias)
    {
        if (x.Shape.Rank == 2) return bias is null ? x.MatMul(kernel) : x.MatMul(kernel) + bias;
        int[] leading = x.Shape.Dims[..^1];
        if (leading.Count(d => d < 0) > 1)
            throw new ShapeMismatchException($"Projection of '{x.Name}' {x.Shape}: at most one leading axis may be unknown.");
        var y = x.Reshape(-1, x.Shape[-1]).MatMul(kernel);
        if (bias is not null) y += bias;
        return y.Reshape([.. leading, kernel.Shape[-1]]);
    }
}
