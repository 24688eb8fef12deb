namespace Nabla;

/// <summary>
/// y = x, failing the run with <see cref="NonFiniteValueException"/> when x holds NaN or ±∞ (TensorFlow's
/// CheckNumerics). VJP: dy, checked the same way; JVP: the tangent, checked the same way.
/// </summary>
internal sealed class CheckNumericsOp(string message) : Op
{
    public string Message { get; } = message;
    public override string Type => "CheckNumerics";
    internal CheckNumericsOp(OpAttributes a) : this(a.String("message")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("message", Message);
    public override string Attributes => $"message=\"{Message}\"";
    public override DType InferDType(Node node) => node.Inputs[0].DType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        inputs[0].CopyTo(output);
        int bad = NumericsCheck.FirstNonFinite(output);
        if (bad >= 0) throw new NonFiniteFound(bad, Message);
    }

    public override Node?[] Vjp(Node node, Node dy) => [dy.CheckNumerics($"{Message} (in the gradient)")];
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0]?.CheckNumerics($"{Message} (in the tangent)");
}

/// <summary>Raised by a forward that found a non-finite value; the session turns it into <see cref="NonFiniteValueException"/> naming the node.</summary>
internal sealed class NonFiniteFound(int flatIndex, string message) : Exception(message)
{
    public int FlatIndex { get; } = flatIndex;
}

public sealed partial class Node
{
    /// <summary>
    /// The same value, but a run fails with <see cref="NonFiniteValueException"/> (starting with
    /// <paramref name="message"/>) when it holds NaN or ±∞. Its gradient and tangent are checked too.
    /// </summary>
    public Node CheckNumerics(string message) => Graph.Apply(new CheckNumericsOp(message), [this]);
}
