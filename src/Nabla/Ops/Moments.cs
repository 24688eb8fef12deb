namespace Nabla;

public sealed partial class Node
{
    /// <summary>
    /// Population variance over <paramref name="axes"/> (null = all): mean((x − mean(x))²). Composite, as batch
    /// normalization needs it; differentiable to any order through Mean and Square.
    /// d/dx = 2(x − mean)/n times dy, through its composite parts.
    /// </summary>
    public Node Variance(int[]? axes, bool keepDims = false) => (this - Mean(axes, true)).Square().Mean(axes, keepDims);
}
