namespace Nabla.Samples.CustomGradients;

/// <summary>Functions whose derivatives are given by hand with <see cref="Graph.CustomGradient"/>.</summary>
public static class CustomFunctions
{
    /// <summary>
    /// log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so that it never overflows (the naive form gives ∞ at x = 100).
    /// Its derivative, given by hand as dy·sigmoid(x), is exact everywhere, also at the kink of |x| at 0 that the
    /// stable forward formula has.
    /// </summary>
    public static Node Softplus(Node x) => x.Graph.CustomGradient([x],
        forward: a => Node.Maximum(a[0], a[0].ZerosLike()) + (1.0 + (-a[0].Abs()).Exp()).Log(),
        vjp: (a, y, dy) => [dy * a[0].Sigmoid()],
        jvp: (a, y, t) => t[0] is null ? null : t[0]! * a[0].Sigmoid(),
        name: "Softplus");

    /// <summary>
    /// sign(x) forward; backward the straight-through estimator of binarized networks: dy where |x| ≤ 1, else 0
    /// (the derivative of the hard tanh), so a quantizing layer still trains. Forward mode, with no rule given,
    /// differentiates sign: zero.
    /// </summary>
    public static Node StraightThroughSign(Node x) => x.Graph.CustomGradient([x],
        forward: a => a[0].Sign(),
        vjp: (a, y, dy) => [Node.Where(a[0].Abs().LessEqual(a[0].Graph.Scalar(1, a[0].DType)), dy, dy.ZerosLike())],
        name: "StraightThroughSign");

    /// <summary>
    /// The identity forward; backward clips the gradient into [<paramref name="min"/>, <paramref name="max"/>] elementwise,
    /// inside the graph (so an optimizer sees clipped updates without any code outside it). Forward mode passes the
    /// tangent through unchanged (the function is the identity).
    /// </summary>
    public static Node ClipGradient(Node x, double min, double max)
    {
        if (!(min <= max)) throw new ArgumentException($"ClipGradient: min {min} must not exceed max {max}.");
        return x.Graph.CustomGradient([x],
            forward: a => a[0].Identity(),
            vjp: (a, y, dy) => [Node.Minimum(Node.Maximum(dy, dy.Graph.Scalar(min, dy.DType)), dy.Graph.Scalar(max, dy.DType))],
            name: "ClipGradient");
    }
}
