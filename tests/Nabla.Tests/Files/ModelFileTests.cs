namespace Nabla.Tests.Files;

/// <summary>Model files: signatures, trained variable values, and typed errors for bad files (before anything is built).</summary>
public class ModelFileTests
{
    /// <summary>An op outside the core, so no loader knows it.</summary>
    private sealed class PrivateOp : Op
    {
        public override string Type => "PrivateTestOp";
        public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => throw new NotSupportedException();
    }

    private static (Session S, Dictionary<string, Signature> Sigs, Node X, Node Y, Node W) Model()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 3));
        var w = g.Variable("w", Tensor.RandomNormal(new Shape(3, 2), 1));
        var y = x.MatMul(w).Tanh();
        var loss = y.Square().Mean();
        var step = w.Assign(w - 0.1f * g.Gradients(loss, w)[0]!);
        var s = new Session(g);
        var sigs = new Dictionary<string, Signature>
        {
            ["serve"] = new(new Dictionary<string, Node> { ["x"] = x }, new Dictionary<string, Node> { ["y"] = y }),
            ["train"] = new(new Dictionary<string, Node> { ["x"] = x }, new Dictionary<string, Node> { ["loss"] = loss, ["step"] = step }),
        };
        return (s, sigs, x, y, w);
    }

    [Fact]
    public void SavesTrainedValuesAndTrainingContinuesIdentically()
    {
        using var dir = new Scratch();
        var (s, sigs, x, y, w) = Model();
        var batch = Tensor.RandomNormal(new Shape(4, 3), 2);
        s.Run(sigs["train"].Output("step"), new Feeds { [x] = batch });  // the file must hold this value of w, not the initial one
        ModelFile.Save(dir.File("m.nabla"), s, sigs, new Dictionary<string, string> { ["architecture"] = "test" });
        using var m = ModelFile.Load(dir.File("m.nabla"));
        Assert.Equal("test", m.Metadata["architecture"]);
        Assert.Equal(s.GetVariable(w).ToArray<float>(), m.Session.GetVariable(m.Node("w")).ToArray<float>());
        var train = m.Signature("train");
        for (int i = 0; i < 3; i++)
        {
            s.Run(sigs["train"].Output("step"), new Feeds { [x] = batch });
            m.Session.Run(train.Output("step"), new Feeds { [train.Input("x")] = batch });
        }
        Assert.Equal(s.Run(y, new Feeds { [x] = batch }).ToArray<float>(),
            m.Session.Run(m.Signature("serve").Output("y"), new Feeds { [m.Signature("serve").Input("x")] = batch }).ToArray<float>());
        Assert.Throws<ModelFileException>(() => m.Signature("predict"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void DamagedFilesGiveTypedErrors()
    {
        using var dir = new Scratch();
        var (s, sigs, _, _, _) = Model();
        ModelFile.Save(dir.File("m.nabla"), s, sigs);
        var bytes = File.ReadAllBytes(dir.File("m.nabla"));

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(dir.File("flipped.nabla"), flipped);
        Assert.Contains("checksum", Assert.Throws<ModelFileCorruptException>(() => ModelFile.Load(dir.File("flipped.nabla"))).Message);

        foreach (int keep in new[] { 0, 7, 20, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(dir.File("cut.nabla"), bytes[..keep]);
            var e = Assert.Throws<ModelFileCorruptException>(() => ModelFile.Load(dir.File("cut.nabla")));
            Assert.Contains("cut.nabla", e.Message);
        }

        var newer = (byte[])bytes.Clone();
        newer[8] = ModelFile.Version + 1;
        File.WriteAllBytes(dir.File("newer.nabla"), newer);
        Assert.Contains($"version {ModelFile.Version + 1}", Assert.Throws<ModelFileVersionException>(() => ModelFile.Load(dir.File("newer.nabla"))).Message);
        Assert.Throws<ModelFileException>(() => ModelFile.Load(dir.File("missing.nabla")));
    }

    [Fact]
    public void UnknownOpIsNamedWithItsNode()
    {
        using var dir = new Scratch();
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var y = g.Apply(new PrivateOp(), [x], "mystery");
        using var s = new Session(g);
        ModelFile.Save(dir.File("m.nabla"), s, new Dictionary<string, Signature> { ["serve"] = new(new Dictionary<string, Node> { ["x"] = x }, new Dictionary<string, Node> { ["y"] = y }) });
        var e = Assert.Throws<UnknownOpException>(() => ModelFile.Load(dir.File("m.nabla")));
        Assert.Contains("'mystery'", e.Message);
        Assert.Contains("PrivateTestOp", e.Message);
    }

    [Fact]
    public void AttributesAreVisibleThroughThePublicView()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(1, 1, 8, 8));
        var f = g.Placeholder("f", new Shape(2, 1, 3, 3));
        var conv = OpAttributes.Of(x.Conv2D(f, stride: 2, padding: 1));
        Assert.Equal((2, 1, 1), (conv.Int("stride"), conv.Int("padding"), conv.Int("dilation")));
        var sum = OpAttributes.Of(x.Sum([1, 2], keepDims: true));
        Assert.Equal([1, 2], sum.Ints("axes"));
        Assert.True(sum.Bool("keep_dims"));
        Assert.Null(OpAttributes.Of(x.Sum()).IntsOrNull("axes"));
        Assert.Throws<InvalidGraphArgumentException>(() => sum.Int("axes"));
    }
}
