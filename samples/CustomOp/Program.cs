// A new op from outside the library: softplus(x) = log(1 + e^x), whose derivative is the logistic
// sigmoid σ(x) = 1 / (1 + e^-x). Subclass Op, give its shape rule, forward computation and derivative
// rules, and add it to a graph with Graph.Apply; reverse and forward mode then work through it.
using Nabla;

var g = new Graph();
var x = g.Placeholder("x", new Shape(3), DType.Float64);
var y = g.Apply(new SoftplusOp(), [x], "softplus");
var loss = (y * y).Sum();                                       // something downstream, to backpropagate through
var gradient = g.Gradients(loss, x)[0]!;

using var session = new Session(g);
double[] at = [-2, 0.5, 3];
var feeds = new Feeds { [x] = Tensor.FromArray(at, 3) };
var (yValue, gradientValue) = (session.Run(y, feeds), session.Run(gradient, feeds));
for (int i = 0; i < at.Length; i++)
    Console.WriteLine($"x = {at[i]}: softplus = {yValue[i]:R}, d(sum softplus^2)/dx = {gradientValue[i]:R}");

// Forward mode through the new op: the derivative of softplus along the tangent [1, 1, 1].
var tangent = g.Constant(Tensor.FromArray(new double[] { 1, 1, 1 }, 3));
var directional = session.Run(g.Jvp(y, [x], [tangent]), feeds);
Console.WriteLine($"forward mode: dsoftplus/dx = [{string.Join(", ", Enumerable.Range(0, 3).Select(i => directional[i].ToString("R")))}]");

/// <summary>softplus(x) = log(1 + e^x), elementwise on vectors. Derivative: σ(x) = 1 / (1 + e^-x).</summary>
sealed class SoftplusOp : Op
{
    public override string Type => "Softplus";

    // A public op reads and writes tensors through their indexer, which this sample keeps to vectors;
    // the library's own kernels work on spans of whole buffers.
    public override Shape InferShape(Node node, Shape[] inputShapes) =>
        inputShapes[0].Rank == 1 ? inputShapes[0]
            : throw new ShapeMismatchException($"Softplus '{node.Name}' takes a vector; got shape {inputShapes[0]}.");

    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        for (int i = 0; i < output.Size; i++)
        {
            double v = inputs[0][i];
            output[i] = Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)));   // log(1 + e^v) without overflow
        }
    }

    // Reverse mode: dx = dy · σ(x), built from graph nodes so that it can be differentiated again.
    public override Node?[] Vjp(Node node, Node dy) => [dy * node.Inputs[0].Sigmoid()];

    // Forward mode: the output's tangent is σ(x) · the input's tangent (null means zero).
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is { } t ? t * node.Inputs[0].Sigmoid() : null;
}
