using Nabla;
using Nabla.Samples.CustomGradients;

// Each sample: the value and the gradient at a few float32 points; at x = 100 the naive log(1 + exp(x)) overflows.
var g = new Graph();
var x = g.Placeholder("x", new Shape(4));
var feeds = new Feeds { [x] = Tensor.FromArray(new[] { -100f, -0.5f, 0.5f, 100f }) };
using var session = new Session(g);

void Show(string title, Node y)
{
    var dx = g.Gradients(y, x)[0]!;
    var values = session.Run([y, dx], feeds);
    Console.WriteLine($"{title,-22} y = {values[0].FormatValues()}   dy/dx = {values[1].FormatValues()}");
}

Show("log(1 + exp(x)) naive", (1.0 + x.Exp()).Log());
Show("stable Softplus", CustomFunctions.Softplus(x));
Show("straight-through sign", CustomFunctions.StraightThroughSign(x));
Show("clip(x)² (clip to ±1)", CustomFunctions.ClipGradient(x, -1, 1).Square());
Show("Softsign (own kernel)", SoftsignOp.Apply(x));
