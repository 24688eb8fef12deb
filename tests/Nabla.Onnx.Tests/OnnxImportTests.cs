using Onnx;

namespace Nabla.Onnx.Tests;

/// <summary>
/// Import of models written by PyTorch's exporter (Fixtures/make_fixtures.py, with PyTorch's own outputs): the outputs
/// agree with PyTorch, and gradients of the imported graph (with respect to the input and to the imported weights)
/// agree with central finite differences in float64.
/// </summary>
public class OnnxImportTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static TheoryData<string> Models() => ["mlp", "cnn", "broadcasting"];

    [Theory]
    [MemberData(nameof(Models))]
    public void ImportedModelGivesPyTorchsOutputs(string name)
    {
        using var model = OnnxImporter.Import(Fixture($"{name}.onnx"));
        var serve = model.Signature("serve");
        var x = Npy.Read(Fixture($"{name}-input.npy"));
        var expected = Npy.Read(Fixture($"{name}-output.npy"));
        Assert.Equal(-1, serve.Input("x").Shape[0]);  // the batch dimension stays symbolic
        var actual = model.Session.Run(serve.Output("y"), new Feeds { [serve.Input("x")] = x });
        OnnxRuntimeRunner.Close(expected, actual, 1e-5, $"{name} against PyTorch");
        Assert.NotEmpty(model.Graph.Variables);  // initializers became variables, so the model can be fine-tuned
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ImportedGradientsMatchFiniteDifferences(string name)
    {
        using var model = OnnxImporter.Import(Fixture($"{name}.onnx"), DType.Float64);
        var g = model.Graph;
        var serve = model.Signature("serve");
        Node x = serve.Input("x"), y = serve.Output("y");
        var input = Npy.Read(Fixture($"{name}-input.npy")).Cast(DType.Float64);
        var u = Tensor.RandomNormal(model.Session.Run(y, new Feeds { [x] = input }).Shape, 3, dtype: DType.Float64);
        var weight = g.Variables.First();
        var loss = (y * g.Constant(u)).Sum();
        var grads = g.Gradients(loss, x, weight);
        var analytic = model.Session.Run(grads!, new Feeds { [x] = input });

        double Loss() => model.Session.Run(loss, new Feeds { [x] = input }).Scalar<double>();
        const double h = 1e-6;
        var rng = new Random(5);
        // Input: perturb the fed values. Weight: perturb the variable in the session.
        foreach (int i in Enumerable.Range(0, 6).Select(_ => rng.Next(input.Size)))
        {
            double original = input.ToArray<double>()[i];
            var index = Unflatten(input.Shape, i);
            input[index] = original + h; double plus = Loss();
            input[index] = original - h; double minus = Loss();
            input[index] = original;
            Assert.True(Math.Abs((plus - minus) / (2 * h) - analytic[0].ToArray<double>()[i]) <= 1e-6 * Math.Max(1, Math.Abs(analytic[0].ToArray<double>()[i])),
                $"{name}: d loss / d x[{i}] is {analytic[0].ToArray<double>()[i]}, finite differences give {(plus - minus) / (2 * h)}");
        }
        var w = model.Session.GetVariable(weight);
        foreach (int i in Enumerable.Range(0, 6).Select(_ => rng.Next(w.Size)))
        {
            var index = Unflatten(w.Shape, i);
            double original = w[index];
            var changed = w.Clone();
            changed[index] = original + h; model.Session.SetVariable(weight, changed); double plus = Loss();
            changed[index] = original - h; model.Session.SetVariable(weight, changed); double minus = Loss();
            model.Session.SetVariable(weight, w);
            double expected = analytic[1].ToArray<double>()[i];
            Assert.True(Math.Abs((plus - minus) / (2 * h) - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)),
                $"{name}: d loss / d {weight.Name}[{i}] is {expected}, finite differences give {(plus - minus) / (2 * h)}");
        }
    }

    [Fact]
    public void OpWithoutCounterpartIsNamed()
    {
        var model = new ModelProto { IrVersion = 8, Graph = new GraphProto { Name = "g" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        model.Graph.Input.Add(OnnxGraphBuilderAccess.ValueInfo("x", DType.Float32, new Shape(2, 2)));
        model.Graph.Node.Add(new NodeProto { Name = "mystery", OpType = "Einsum", Input = { "x" }, Output = { "y" } });
        var e = Assert.Throws<OnnxException>(() => OnnxImporter.Import(model));
        Assert.Contains("'mystery'", e.Message);
        Assert.Contains("Einsum", e.Message);
    }

    private static int[] Unflatten(Shape shape, int flat)
    {
        var index = new int[shape.Rank];
        for (int a = shape.Rank - 1; a >= 0; a--) { index[a] = flat % shape[a]; flat /= shape[a]; }
        return index;
    }
}

/// <summary>Builds value descriptions for hand-made test models the way the exporter does.</summary>
internal static class OnnxGraphBuilderAccess
{
    public static ValueInfoProto ValueInfo(string name, DType dtype, Shape shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = dtype == DType.Float32 ? (int)TensorProto.Types.DataType.Float : (int)TensorProto.Types.DataType.Double, Shape = new TensorShapeProto() };
        foreach (int d in shape.Dims) tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
