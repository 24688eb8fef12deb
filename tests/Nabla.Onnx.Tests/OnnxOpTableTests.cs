using Nabla.Tests.Files;
using Nabla.Tests.OpTable;

namespace Nabla.Onnx.Tests;

/// <summary>
/// The ONNX column of the op table: every row whose ops have ONNX counterparts is exported and run in ONNX Runtime on
/// the row's sampled float32 inputs, agreeing with Nabla within 1e-4, and imported back into Nabla, agreeing within 1e-6
/// (float64 export is checked on an MLP in <see cref="MnistExportTests"/>); a row with an op that has none must fail
/// with an error naming that node and op.
/// </summary>
public class OnnxOpTableTests
{
    public static TheoryData<string> Names() => [.. OpTableTests.Cases.Select(c => c.Name)];

    private static readonly HashSet<string> Sources = ["Placeholder", "Const", "Variable"];

    internal static (Session S, Node[] X, Node Y, Tensor[] Values) Build(OpCase c, DType dtype)
    {
        var g = new Graph();
        var xs = c.Inputs.Select((inp, i) => g.Placeholder($"x{i}", inp.Declared ?? inp.Shape, dtype)).ToArray();
        var y = c.Build(new BuildContext(g, xs, dtype));
        var rng = new Random(1);
        var values = c.Inputs.Select(inp =>
        {
            var data = inp.Sample(rng, inp.Shape.Size);
            return (inp.Shape.Rank == 0 ? Tensor.Scalar(data[0], DType.Float64) : Tensor.FromArray(data, inp.Shape.Dims)).Cast(dtype);
        }).ToArray();
        return (new Session(g), xs, y, values);
    }

    internal static bool Exportable(Node y) =>
        y.Graph.Nodes.Where(n => n.Id <= y.Id).All(n => Sources.Contains(n.OpType) || OnnxExporter.SupportedOps.Contains(n.OpType))
        && y.Graph.Nodes.All(n => n.OpType != "Placeholder" || !n.Shape.IsUnknownRank);

    [Theory]
    [MemberData(nameof(Names))]
    public void ExportedRowAgreesWithOnnxRuntime(string name)
    {
        var c = OpTableTests.Cases.Single(r => r.Name == name);
        var (s, xs, y, values) = Build(c, DType.Float32);
        using var _ = s;
        var inputs = xs.Select((x, i) => (x, i)).ToDictionary(p => $"x{p.i}", p => p.x);
        var outputs = new Dictionary<string, Node> { ["y"] = y };
        if (!Exportable(y))
        {
            var e = Assert.Throws<OnnxException>(() => OnnxExporter.Export(s, inputs, outputs));
            Assert.Matches(@"Node '.+' \(op \w+\) has no ONNX counterpart|Input 'x\d' .* has an unknown rank", e.Message);
            return;
        }
        var model = OnnxExporter.Export(s, inputs, outputs);
        var feeds = new Feeds();
        for (int i = 0; i < xs.Length; i++) feeds[xs[i]] = values[i];
        var expected = s.Run(y, feeds);
        var actual = OnnxRuntimeRunner.Run(model, xs.Select((_, i) => ($"x{i}", values[i])).ToList(), ["y"])[0];
        OnnxRuntimeRunner.Close(expected, actual, 1e-4, $"{name} float32");

        // Imported back, the model computes the same values in Nabla.
        using var imported = OnnxImporter.Import(model);
        var serve = imported.Signature("serve");
        var back = new Feeds();
        for (int i = 0; i < xs.Length; i++) back[serve.Input($"x{i}")] = values[i];
        OnnxRuntimeRunner.Close(expected, imported.Session.Run(serve.Output("y"), back), 1e-6, $"{name} exported and imported");
    }

    [Theory]
    [InlineData("Range int32")]
    [InlineData("Range float descending")]
    [InlineData("TopKIndices")]
    [InlineData("TopK values")]
    [InlineData("TakeAlongLastAxis int32 ids")]
    public void RangeAndTopKRowsExport(string name)
    {
        // These rows go through ONNX Runtime above rather than the refusal branch.
        var (s, _, y, _) = Build(OpTableTests.Cases.Single(r => r.Name == name), DType.Float32);
        using var _ = s;
        Assert.True(Exportable(y), $"{name} does not export");
    }

    [PythonFact("onnx", "python3-onnx")]
    public void ExportedRowsPassTheOnnxChecker()
    {
        using var dir = new Scratch();
        int count = 0;
        foreach (var c in OpTableTests.Cases)
        {
            var (s, xs, y, _) = Build(c, DType.Float32);
            using var __ = s;
            if (!Exportable(y)) continue;
            OnnxExporter.Export(dir.File($"row{count++}.onnx"), s, xs.Select((x, i) => (x, i)).ToDictionary(p => $"x{p.i}", p => p.x), new Dictionary<string, Node> { ["y"] = y });
        }
        Assert.True(count > 30, $"only {count} rows exported");
        var (code, output) = Python.Run(
            "import sys, glob, onnx\n" +
            "for f in sorted(glob.glob(sys.argv[1] + '/*.onnx')):\n" +
            "    onnx.checker.check_model(onnx.load(f), full_check=True)\n" +
            "print('checked')", dir.Path);
        Assert.True(code == 0 && output.Contains("checked"), output);
    }
}
