namespace Nabla.NN.Tests;

/// <summary>
/// Recurrent layers run on Scan, which model files hold: an LSTM and a GRU layer, with their loss's gradients, saved and
/// loaded give bit-identical outputs and gradients, and gradients built anew on the loaded graph (through the saved
/// forward Scan) agree to rounding.
/// </summary>
public class RecurrentModelFileTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void ARecurrentLayerRoundTripsThroughAModelFile(string kind)
    {
        using var dir = new TempDir();
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 5, 3));
        RecurrentLayer layer = kind == "lstm" ? new Lstm(4) : new Gru(4);
        var output = layer.Apply(x);
        var loss = output.Square().Mean();
        var variables = layer.TrainableVariables.ToArray();
        var grads = g.Gradients(loss, variables);
        var outputs = new Dictionary<string, Node> { ["output"] = output, ["loss"] = loss };
        for (int i = 0; i < grads.Length; i++) outputs[$"grad{i}"] = grads[i]!;
        using var session = new Session(g);
        ModelFile.Save(dir.File("rnn.nabla"), session, new Dictionary<string, Signature> { ["train"] = new(new Dictionary<string, Node> { ["x"] = x }, outputs) });

        using var m = ModelFile.Load(dir.File("rnn.nabla"));
        var batch = Tensor.RandomNormal(new Shape(2, 5, 3), seed: 7);
        var keys = outputs.Keys.ToArray();
        var expected = session.Run([.. keys.Select(k => outputs[k])], new Feeds { [x] = batch });
        var sig = m.Signature("train");
        var loadedFeeds = new Feeds { [sig.Input("x")] = batch };
        var actual = m.Session.Run([.. keys.Select(sig.Output)], loadedFeeds);
        for (int k = 0; k < keys.Length; k++)
            Assert.True(expected[k].AsBytes().SequenceEqual(actual[k].AsBytes()), $"{kind} {keys[k]} differs after loading");

        // The file holds the layer's forward Scan (its own reverse rule is C# code), so gradients built on the loaded
        // graph go through the Scan's generic VJP: the same derivative summed in another order.
        var fresh = m.Graph.Gradients(sig.Output("loss"), [.. variables.Select(v => m.Node(v.Name))]);
        var freshValues = m.Session.Run([.. fresh.Select(f => f!)], loadedFeeds);
        for (int i = 0; i < variables.Length; i++)
        {
            var want = expected[Array.IndexOf(keys, $"grad{i}")].ToArray<float>();
            var got = freshValues[i].ToArray<float>();
            float scale = want.Max(MathF.Abs);
            Assert.True(scale > 0, $"{kind}: the gradient of {variables[i].Name} is zero");
            for (int j = 0; j < want.Length; j++)
                Assert.True(MathF.Abs(want[j] - got[j]) <= 1e-5f * scale, $"{kind}: the gradient of {variables[i].Name} built on the loaded graph differs at {j}: {got[j]} vs {want[j]}");
        }
    }
}
