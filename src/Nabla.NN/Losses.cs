namespace Nabla.NN;

/// <summary>Scalar training losses: each is a mean over the examples of the batch, a node named "loss" unless another name is given.</summary>
public static class Losses
{
    /// <summary>mean((prediction − target)²) over all elements, a node named <paramref name="name"/>. ∂/∂prediction = 2(prediction − target)/n for n elements.</summary>
    public static Node MeanSquaredError(Node prediction, Node target, string name = "loss") => (prediction - target).Square().Mean(null, name: name);

    /// <summary>
    /// Softmax cross-entropy of logits [N, K] against class ids [N] (as floats), averaged over the batch:
    /// mean over n of (logsumexp(z_n) − z_n[y_n]), computed by the fused, numerically stable op.
    /// ∂/∂logits = (softmax(z) − onehot(y))/N; the labels get no gradient.
    /// </summary>
    public static Node SoftmaxCrossEntropy(Node logits, Node labels, string name = "loss") => Node.SoftmaxCrossEntropy(logits, labels).Mean(null, name: name);

    /// <summary>
    /// Binary cross-entropy of logits against targets in [0, 1], averaged over all elements:
    /// mean of max(z, 0) − z·t + log(1 + e^−|z|), computed from logits for stability.
    /// ∂/∂logits = (σ(z) − t)/n for n elements.
    /// </summary>
    public static Node BinaryCrossEntropy(Node logits, Node targets, string name = "loss") => Node.SigmoidCrossEntropy(logits, targets).Mean(null, name: name);
}
