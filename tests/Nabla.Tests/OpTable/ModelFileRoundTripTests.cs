namespace Nabla.Tests.OpTable;

/// <summary>
/// The model-file column of the op table: each row's graph, with its gradient nodes, is saved and loaded into a fresh
/// graph; the loaded graph must give bit-identical values, bit-identical saved gradients, and bit-identical gradients
/// built anew on the loaded graph (so a loaded model can be differentiated and fine-tuned). Custom gradients hold C#
/// rules a file cannot carry: saving their rows must fail with <see cref="ModelFileUnsavableOpException"/> naming the node.
/// </summary>
public class ModelFileRoundTripTests
{
    // An op defined outside the core is loaded through the factory its library registers.
    static ModelFileRoundTripTests() => OpRegistry.Register("Softsign", _ => new Nabla.Samples.CustomGradients.SoftsignOp());

    public static TheoryData<string> Names() => [.. OpTableTests.Cases.Select(c => c.Name)];

    [Fact]
    public void EveryOpTypeIsRegistered()
    {
        var missing = OpTableTests.Cases.Select(c => c.Op).Distinct().Select(t => (Op)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t))
            .Where(op => op.UnsavableReason is null).Select(op => op.Type)
            .Where(name => !OpRegistry.IsKnown(name)).ToArray();
        Assert.True(missing.Length == 0, $"op types that cannot be loaded: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SavedAndLoadedGraphGivesIdenticalValuesAndGradients(string name)
    {
        var c = OpTableTests.Cases.Single(r => r.Name == name);
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            var g = new Graph();
            var xs = c.Inputs.Select((inp, i) => g.Placeholder($"x{i}", inp.Declared ?? inp.Shape, dtype)).ToArray();
            var y = c.Build(new BuildContext(g, xs, dtype));
            var rng = new Random(1);
            var values = c.Inputs.Select(inp => Sample(inp, rng).Cast(dtype)).ToArray();
            var outputs = new Dictionary<string, Node> { ["y"] = y };
            using var original = new Session(g);
            Tensor? seed = null;
            if (c.Gradient == GradKind.Checked)
            {
                seed = Tensor.RandomNormal(original.Run(y, Feeds(xs, values)).Shape, 7, dtype: dtype);
                var grads = g.Gradients(y, xs, g.Constant(seed));
                for (int i = 0; i < grads.Length; i++)
                    if (grads[i] is not null) outputs[$"grad{i}"] = grads[i]!;
            }
            var inputs = xs.Select((x, i) => (x, i)).ToDictionary(p => $"x{p.i}", p => p.x);
            var path = Path.Combine(Path.GetTempPath(), $"nabla-row-{Guid.NewGuid():N}.nabla");
            if (g.Nodes.FirstOrDefault(n => n.Op.UnsavableReason is not null) is { } custom)
            {
                var refused = Assert.Throws<ModelFileUnsavableOpException>(() =>
                    ModelFile.Save(path, original, new Dictionary<string, Signature> { ["row"] = new(inputs, outputs) }));
                Assert.Equal(custom.Name, refused.NodeName);
                Assert.Contains($"'{custom.Name}'", refused.Message);
                Assert.False(File.Exists(path), $"{name}: a refused save left {path}");
                continue;
            }
            try
            {
                ModelFile.Save(path, original, new Dictionary<string, Signature> { ["row"] = new(inputs, outputs) });
                using var loaded = ModelFile.Load(path);
                var sig = loaded.Signature("row");
                Assert.Equal(g.Nodes.Select(n => (n.Name, n.OpType, n.Shape, n.DType)), loaded.Graph.Nodes.Select(n => (n.Name, n.OpType, n.Shape, n.DType)));
                var lx = xs.Select((_, i) => sig.Input($"x{i}")).ToArray();
                var keys = outputs.Keys.ToArray();
                var expected = original.Run(keys.Select(k => outputs[k]).ToArray(), Feeds(xs, values));
                var actual = loaded.Session.Run(keys.Select(sig.Output).ToArray(), Feeds(lx, values));
                for (int k = 0; k < keys.Length; k++) Identical(expected[k], actual[k], $"{name} {dtype} {keys[k]}");
                foreach (var v in g.Variables)
                    Identical(original.GetVariable(v), loaded.Session.GetVariable(loaded.Node(v.Name)), $"{name} {dtype} variable {v.Name} after one step");

                if (seed is not null)
                {
                    // Gradients built on the loaded graph agree with those of the original graph.
                    var fresh = loaded.Graph.Gradients(sig.Output("y"), lx, loaded.Graph.Constant(seed));
                    for (int i = 0; i < fresh.Length; i++)
                        if (fresh[i] is not null)
                            Identical(expected[Array.IndexOf(keys, $"grad{i}")], loaded.Session.Run(fresh[i]!, Feeds(lx, values)), $"{name} {dtype} fresh gradient {i}");
                }
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    private static Feeds Feeds(Node[] xs, Tensor[] values)
    {
        var feeds = new Feeds();
        for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = values[i];
        return feeds;
    }

    private static Tensor Sample(Input input, Random rng)
    {
        var data = input.Sample(rng, input.Shape.Size);
        return input.Shape.Rank == 0 ? Tensor.Scalar(data[0], DType.Float64) : Tensor.FromArray(data, input.Shape.Dims);
    }

    private static void Identical(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.DType, actual.DType);
        Assert.True(expected.AsBytes().SequenceEqual(actual.AsBytes()), $"{what}: values differ after loading");
    }
}
