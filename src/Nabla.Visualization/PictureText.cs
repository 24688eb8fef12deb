namespace Nabla.Visualization;

/// <summary>
/// How every picture and explanation writes derivatives: d for the output's total derivative with respect to a node
/// ("dg/da", summed over every path), ∂ for an op's local partial with respect to one of its inputs ("∂e/∂a"),
/// with the operand named when an op reads one node more than once ("∂e/∂x (left)" for x*x).
/// </summary>
internal static class PictureText
{
    /// <summary>The output's total derivative with respect to <paramref name="n"/>: "dg/da".</summary>
    public static string Total(Annotations a, Node n) => $"d{a.Label(a.Output!)}/d{a.Label(n)}";

    /// <summary>The total derivative with its value: "dg/da = 2".</summary>
    public static string Gradient(Annotations a, Node n, string gradient) => $"{Total(a, n)} = {gradient}";

    /// <summary>
    /// The local partial of <paramref name="consumer"/> with respect to its input number <paramref name="input"/>:
    /// "∂e/∂a", or "∂e/∂x (left)" when the consumer reads that node in more than one slot.
    /// </summary>
    public static string Local(Annotations a, Node consumer, int input)
    {
        string symbol = $"∂{a.Label(consumer)}/∂{a.Label(consumer.Inputs[input])}";
        return Operand(consumer, input) is { } operand ? $"{symbol} ({operand})" : symbol;
    }

    /// <summary>The local partial with its value: "∂e/∂a = 2".</summary>
    public static string Partial(Annotations a, Node consumer, int input, Tensor partial) =>
        $"{Local(a, consumer, input)} = {ValueFormat.Tensor(partial, a.Options.MaxValues)}";

    /// <summary>
    /// Which operand input <paramref name="input"/> is, when <paramref name="consumer"/> reads the same node more
    /// than once: "left" or "right" of a binary op, "input 2" of others; null when the node is read once.
    /// </summary>
    public static string? Operand(Node consumer, int input)
    {
        var node = consumer.Inputs[input];
        if (consumer.Inputs.Count(i => i == node) < 2) return null;
        return consumer.Inputs.Count == 2 ? (input == 0 ? "left" : "right") : $"input {input + 1}";
    }
}
