// Linear regression by gradient descent: fits y = w1*x1 + w2*x2 + b to noisy data made from known
// coefficients (w = [2.5, -1.5], b = 0.75) and prints the coefficients it recovers.
using Nabla;
using Nabla.NN;

const int examples = 500;
double[] trueW = [2.5, -1.5];
const double trueB = 0.75;

var random = new Random(7);
var xs = new float[examples * 2];
var ys = new float[examples];
for (int i = 0; i < examples; i++)
{
    double x1 = random.NextDouble() * 4 - 2, x2 = random.NextDouble() * 4 - 2;
    double noise = 0.05 * (random.NextDouble() - 0.5);
    (xs[2 * i], xs[2 * i + 1]) = ((float)x1, (float)x2);
    ys[i] = (float)(trueW[0] * x1 + trueW[1] * x2 + trueB + noise);
}

var g = new Graph();
var x = g.Placeholder("x", new Shape(-1, 2));
var y = g.Placeholder("y", new Shape(-1, 1));
var w = g.Variable("w", Tensor.FromArray(new float[] { 0, 0 }, 2, 1));
var b = g.Variable("b", Tensor.FromArray(new float[] { 0 }, 1));
var prediction = x.MatMul(w) + b;
var loss = Losses.MeanSquaredError(prediction, y);
var optimizer = new Sgd(learningRate: 0.1);
var train = optimizer.Minimize(loss, [w, b]);

using var session = new Session(g);
var feeds = new Feeds { [x] = Tensor.FromArray(xs, examples, 2), [y] = Tensor.FromArray(ys, examples, 1) };
for (int step = 0; step < 200; step++)
{
    var lossValue = session.Run([loss, train], feeds)[0];
    if (step % 50 == 0) Console.WriteLine($"step {step}: loss {lossValue.FormatValues()}");
}

var fitted = session.Run([w, b, loss], feeds);
Console.WriteLine($"final loss: {fitted[2].Scalar<float>():G6}");
Console.WriteLine($"w1 = {fitted[0][0, 0]:F4}");
Console.WriteLine($"w2 = {fitted[0][1, 0]:F4}");
Console.WriteLine($"b = {fitted[1][0]:F4}");
