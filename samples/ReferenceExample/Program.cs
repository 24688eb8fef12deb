// The reference example g = a*b + c*d at a=3, b=2, c=4, d=5: its values, its gradient by reverse mode
// (one backward sweep gives every partial derivative) and by forward mode (one sweep per input).
using Nabla;

var g = new Graph();
var a = g.Placeholder("a"); var b = g.Placeholder("b");
var c = g.Placeholder("c"); var d = g.Placeholder("d");
var e = a * b; var f = c * d; var y = e + f;
Node[] inputs = [a, b, c, d];

using var session = new Session(g);
var feeds = new Feeds { [a] = 3f, [b] = 2f, [c] = 4f, [d] = 5f };
Console.WriteLine($"g = a*b + c*d = {session.Run(y, feeds).FormatValues()} at a=3, b=2, c=4, d=5");

// Reverse mode: the gradient nodes are added to the same graph and run like any other node.
var gradients = g.Gradients(y, inputs);
var reverse = session.Run(gradients.Select(n => n!).ToArray(), feeds);
for (int i = 0; i < inputs.Length; i++) Console.WriteLine($"reverse mode: dg/d{inputs[i].Name} = {reverse[i].FormatValues()}");

// Forward mode: the derivative along a tangent; the unit tangent of one input gives its partial derivative.
for (int i = 0; i < inputs.Length; i++)
{
    var tangents = inputs.Select((_, j) => g.Scalar(i == j ? 1 : 0)).ToArray();
    Console.WriteLine($"forward mode: dg/d{inputs[i].Name} = {session.Run(g.Jvp(y, inputs, tangents), feeds).FormatValues()}");
}

// Gradients are nodes, so they can be differentiated again: d/da (dg/db) = 1.
var second = g.Gradients(gradients[1]!, a)[0]!;
Console.WriteLine($"second order: d2g/dadb = {session.Run(second, feeds).FormatValues()}");
