using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Nabla.Tests.Files;

/// <summary>
/// Model files hold control flow: Cond, Scan and WhileLoop bodies (nested ones too) are saved as graph attributes and
/// loaded as bodies of the loaded graph. A round trip gives bit-identical values, saved gradients and gradients built
/// anew on the loaded graph; a body whose node list is cut short or points outside itself is a typed error.
/// </summary>
public class ControlFlowModelFileTests
{
    /// <summary>
    /// An RNN cell by Scan whose step holds a Cond, a bounded WhileLoop with an int32 counter beside a float value, and a
    /// Cond returning a float and a bool; the loss reads them all, and its gradients are saved as outputs.
    /// </summary>
    private static (Session S, Dictionary<string, Signature> Sigs, Feeds Feeds, Node[] Inputs) Model()
    {
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(-1, 2, 3));
        var h0 = g.Placeholder("h0", new Shape(2, 4));
        var limit = g.Placeholder("n", Shape.Scalar, DType.Int32);
        var wx = g.Variable("Wx", Tensor.RandomNormal(new Shape(3, 4), seed: 1, stddev: 0.4));
        var wh = g.Variable("Wh", Tensor.RandomNormal(new Shape(4, 4), seed: 2, stddev: 0.4));
        var (last, hs) = g.Scan((h, x) =>
        {
            var pre = x[0].MatMul(wx) + h[0].MatMul(wh);
            var next = g.Cond(pre.Sum().Greater(0f), () => pre.Tanh(), () => pre.Sigmoid() - 0.5f, name: "gate");
            return new ScanStep([next], [next]);
        }, [h0], [xs], name: "rnn");
        var one = g.Constant(Tensor.Scalar(1, DType.Int32), "one");
        var loop = g.WhileLoop(v => v[0].Less(limit), v => [v[0] + one, v[1] * 0.9f + wh.Sum() * 0.01f], [g.Constant(Tensor.Scalar(0, DType.Int32), "zero"), last[0].Sum()], maximumIterations: 6, name: "decay");
        var branch = g.Cond(loop[1].Greater(0f), () => [loop[1] * wx.Sum(), loop[1].Greater(1f)], () => [-loop[1], loop[1].Less(-1f)], name: "sign");
        var loss = hs[0].Square().Mean() + branch[0] + branch[1].Cast(DType.Float32);
        var grads = g.Gradients(loss, [wx, wh, h0, xs]);
        var outputs = new Dictionary<string, Node> { ["loss"] = loss, ["count"] = loop[0], ["flag"] = branch[1] };
        for (int i = 0; i < grads.Length; i++) outputs[$"grad{i}"] = grads[i]!;
        var sigs = new Dictionary<string, Signature> { ["train"] = new(new Dictionary<string, Node> { ["xs"] = xs, ["h0"] = h0, ["n"] = limit }, outputs) };
        var feeds = new Feeds
        {
            [xs] = Tensor.RandomNormal(new Shape(5, 2, 3), seed: 3),
            [h0] = Tensor.RandomNormal(new Shape(2, 4), seed: 4, stddev: 0.1),
            [limit] = Tensor.Scalar(4, DType.Int32),
        };
        return (new Session(g), sigs, feeds, [xs, h0, limit]);
    }

    private static Feeds FeedsFor(LoadedModel m, Feeds original, Node[] inputs) =>
        new() { [m.Signature("train").Input("xs")] = original[inputs[0]], [m.Signature("train").Input("h0")] = original[inputs[1]], [m.Signature("train").Input("n")] = original[inputs[2]] };

    [Fact]
    public void AModelWithCondScanAndWhileLoopLoadsWithIdenticalValuesAndGradients()
    {
        using var dir = new Scratch();
        var (s, sigs, feeds, inputs) = Model();
        string path = dir.File("cf.nabla");
        ModelFile.Save(path, s, sigs);
        using var m = ModelFile.Load(path);
        var keys = sigs["train"].Outputs.Keys.ToArray();
        var expected = s.Run([.. keys.Select(sigs["train"].Output)], feeds);
        var loadedFeeds = FeedsFor(m, feeds, inputs);
        var actual = m.Session.Run([.. keys.Select(m.Signature("train").Output)], loadedFeeds);
        Assert.Equal(4, actual[Array.IndexOf(keys, "count")].Scalar<int>());
        for (int k = 0; k < keys.Length; k++)
        {
            Assert.Equal(expected[k].DType, actual[k].DType);
            Assert.Equal(expected[k].Shape, actual[k].Shape);
            Assert.True(expected[k].AsBytes().SequenceEqual(actual[k].AsBytes()), $"{keys[k]} differs after loading");
        }

        // Gradients built anew on the loaded graph, through the loaded bodies, agree with the original's.
        var lg = m.Graph;
        var fresh = lg.Gradients(m.Signature("train").Output("loss"), [m.Node("Wx"), m.Node("Wh"), m.Signature("train").Input("h0"), m.Signature("train").Input("xs")]);
        var freshValues = m.Session.Run([.. fresh.Select(f => f!)], loadedFeeds);
        for (int i = 0; i < 4; i++)
            Assert.True(expected[Array.IndexOf(keys, $"grad{i}")].AsBytes().SequenceEqual(freshValues[i].AsBytes()), $"fresh gradient {i} differs");

        // The loaded constructs are control-flow nodes with their bodies.
        var rnn = m.Node("rnn");
        Assert.Equal("Scan", rnn.ControlFlow!.Construct);
        Assert.Contains(rnn.ControlFlow.Functions[0].Body.Graph.Nodes, n => n.ControlFlow?.Construct == "Cond");
    }

    [Fact]
    public void ForwardModeWorksOnTheLoadedGraph()
    {
        using var dir = new Scratch();
        var (s, sigs, feeds, inputs) = Model();
        var g = s.Graph;
        var loss = sigs["train"].Output("loss");
        var direction = Tensor.RandomNormal(new Shape(2, 4), seed: 9);
        var want = s.Run(g.Jvp(loss, [inputs[1]], [g.Constant(direction)]), feeds);
        ModelFile.Save(dir.File("cf.nabla"), s, sigs);
        using var m = ModelFile.Load(dir.File("cf.nabla"));
        var lg = m.Graph;
        var got = m.Session.Run(lg.Jvp(m.Signature("train").Output("loss"), [m.Signature("train").Input("h0")], [lg.Constant(direction)]), FeedsFor(m, feeds, inputs));
        Assert.Equal(want.Scalar<float>(), got.Scalar<float>());
    }

    [Theory]
    [InlineData("result-outside", "is not a node of its body graph")]
    [InlineData("cut-short", "is not a node of its body graph")]
    [InlineData("input-ahead", "which is not an earlier node")]
    [InlineData("no-node-list", "has no node list")]
    [InlineData("parameter-not-placeholder", "not a placeholder")]
    public void ABrokenBodyIsATypedError(string damage, string message)
    {
        using var dir = new Scratch();
        var (s, sigs, _, _) = Model();
        string path = dir.File("cf.nabla");
        ModelFile.Save(path, s, sigs);
        Rewrite(path, root =>
        {
            var rnn = (JsonObject)((JsonArray)root["nodes"]!).First(n => (string)n!["name"]! == "rnn")!;
            var attributes = (JsonObject)rnn["attributes"]!;
            var body = (JsonObject)attributes["body"]!["graph"]!;
            var nodes = (JsonArray)body["nodes"]!;
            switch (damage)
            {
                case "result-outside": attributes["step_results"] = new JsonObject { ["ints"] = new JsonArray(999) }; break;
                case "cut-short": while (nodes.Count > 3) nodes.RemoveAt(nodes.Count - 1); break;
                case "input-ahead": ((JsonObject)nodes[2]!)["inputs"] = new JsonArray(nodes.Count - 1); break;
                case "no-node-list": body.Remove("nodes"); break;
                case "parameter-not-placeholder":
                    int result = ((JsonArray)attributes["step_results"]!["ints"]!)[0]!.GetValue<int>();
                    attributes["step_parameters"]!["ints"]![0] = result;
                    break;
            }
        });
        var e = Assert.Throws<ModelFileCorruptException>(() => ModelFile.Load(path));
        Assert.Contains(message, e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains("'rnn'", e.Message);
    }

    [Fact]
    public void ATruncatedFileWithBodiesIsATypedError()
    {
        using var dir = new Scratch();
        var (s, sigs, _, _) = Model();
        string path = dir.File("cf.nabla");
        ModelFile.Save(path, s, sigs);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Throws<ModelFileCorruptException>(() => ModelFile.Load(path));
    }

    /// <summary>Edits a model file's JSON and writes it back with a new length and checksum, as a damaged writer would.</summary>
    private static void Rewrite(string path, Action<JsonObject> edit)
    {
        var bytes = File.ReadAllBytes(path);
        const int preamble = 8 + 4 + 8, hash = 32;
        int jsonLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        var root = (JsonObject)JsonNode.Parse(bytes.AsSpan(preamble, jsonLength))!;
        edit(root);
        var json = Encoding.UTF8.GetBytes(root.ToJsonString());
        using var file = new MemoryStream();
        file.Write(bytes.AsSpan(0, 12));
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        file.Write(length);
        file.Write(json);
        file.Write(bytes.AsSpan(preamble + jsonLength, bytes.Length - hash - preamble - jsonLength));
        file.Write(SHA256.HashData(file.ToArray()));
        File.WriteAllBytes(path, file.ToArray());
    }
}
