namespace Nabla.Visualization;

/// <summary>The annotations every picture writes the same way: a node's gradient and an edge's local partial.</summary>
internal static class PictureText
{
    /// <summary>The local partial derivative on the edge into input <paramref name="input"/> of <paramref name="consumer"/>: "∂e/∂a = 2".</summary>
    public static string Partial(Annotations a, Node consumer, int input, Tensor partial) =>
        $"∂{a.Label(consumer)}/∂{a.Label(consumer.Inputs[input])} = {ValueFormat.Tensor(partial, a.Options.MaxValues)}";

    /// <summary>The output's gradient with respect to <paramref name="n"/>, given as text: "∂g/∂a = 2".</summary>
    public static string Gradient(Annotations a, Node n, string gradient) => $"∂{a.Label(a.Output!)}/∂{a.Label(n)} = {gradient}";
}
