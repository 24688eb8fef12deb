using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// loss[i] = −log softmax(logits)[i, labels[i]] for logits [N, K] and labels [N] (int32 or int64 class ids, or whole
/// numbers in the logits' dtype).
/// VJP for logits: (softmax − onehot)·dy[:, None]; labels get none. JVP: Σ_k (softmax − onehot)·t.
/// A fused primitive for stability and speed: one pass per row, shifted by the row maximum.
/// </summary>
internal sealed class SoftmaxCrossEntropyOp : Op
{
    public override string Type => "SoftmaxCrossEntropy";

    public override DType InferDType(Node node)
    {
        Node logits = node.Inputs[0], labels = node.Inputs[1];
        return Ids.Accepts(labels.DType, logits.DType) ? logits.DType : throw Ids.WrongDType(node, labels, logits.DType);
    }

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape logits = inputShapes[0], labels = inputShapes[1];
        if (!logits.IsUnknownRank && logits.Rank != 2)
            throw OpChecks.Mismatch(node, inputShapes, "logits must be [batch, classes].");
        if (!labels.IsUnknownRank && labels.Rank != 1)
            throw OpChecks.Mismatch(node, inputShapes, "labels must be [batch] (class ids, not one-hot rows).");
        if (logits.IsUnknownRank) return labels.IsUnknownRank ? new Shape(-1) : labels;
        if (!labels.IsUnknownRank && logits[0] != -1 && labels[0] != -1 && logits[0] != labels[0])
            throw OpChecks.Mismatch(node, inputShapes, $"logits have {logits[0]} rows but there are {labels[0]} labels.");
        return new Shape(logits[0] != -1 || labels.IsUnknownRank ? logits[0] : labels[0]);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Tensor logits = inputs[0], labels = inputs[1];
        int n = logits.Shape[0], k = logits.Shape[1];
        if (labels.Size != n)
            throw new ShapeMismatchException($"SoftmaxCrossEntropy: logits {logits.Shape} but labels {labels.Shape}; give one label per row.");
        using var ids = new Ids(labels, k).RequireValid(labels, k, "SoftmaxCrossEntropy", "label");
        Kernels.Softmax.CrossEntropy(logits.Span<T>(), ids.Span, output.Span<T>(), n, k);
    }

    /// <summary>∂loss/∂logits = softmax(logits) − onehot(labels), built with graph ops so it can be differentiated again.</summary>
    private static Node Partial(Node node)
    {
        Node logits = node.Inputs[0], labels = node.Inputs[1];
        int k = logits.Shape.IsUnknownRank ? -1 : logits.Shape[1];
        if (k < 0)
            throw new GradientException($"SoftmaxCrossEntropy '{node.Name}': the number of classes of logits '{logits.Name}' {logits.Shape} must be known to differentiate; give the logits a shape.");
        return logits.Softmax(-1) - labels.OneHot(k, logits.DType);
    }

    public override Node?[] Vjp(Node node, Node dy) => [Partial(node) * dy.ExpandDims(-1), null];

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : (Partial(node) * tangents[0]!).Sum([-1]);
}

/// <summary>
/// Elementwise binary cross-entropy on logits x with targets t in [0, 1]: max(x, 0) − x·t + log(1 + e^−|x|),
/// which never overflows. ∂/∂x = sigmoid(x) − t, ∂/∂t = −x. A primitive for stability.
/// </summary>
internal sealed class SigmoidCrossEntropyOp : BinaryElementwiseOp<ScalarLoop<SigmoidCrossEntropyScalar>>
{
    public override string Type => "SigmoidCrossEntropy";
    protected override (Node? dx, Node? dy) Partials(Node x, Node y, Node z) => (x.Sigmoid() - y, -x);
}

public sealed partial class Node
{
    /// <summary>
    /// Per-example softmax cross-entropy: −log softmax(logits)[i, labels[i]] for logits [N, K] and labels [N] holding
    /// int32 or int64 class ids (whole numbers in the logits' dtype are accepted too). Returns [N]. Fused and stable; labels get no gradient.
    /// </summary>
    public static Node SoftmaxCrossEntropy(Node logits, Node labels) =>
        logits.Graph.Apply(new SoftmaxCrossEntropyOp(), [logits, labels]);

    /// <summary>
    /// Elementwise binary cross-entropy of sigmoid(logits) against targets in [0, 1] (broadcasting), computed stably as
    /// max(x, 0) − x·t + log(1 + e^−|x|).
    /// ∂/∂logits = σ(logits) − targets; ∂/∂targets = −logits.
    /// </summary>
    public static Node SigmoidCrossEntropy(Node logits, Node targets) =>
        logits.Graph.Apply(new SigmoidCrossEntropyOp(), [logits, targets]);
}
