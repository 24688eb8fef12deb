using Nabla.NN;
using Nabla.Tests.Files;

namespace Nabla.Onnx.Tests;

/// <summary>
/// The MNIST models exported as `nabla` feeds them (float32 pixels in [0, 1], [N, 784] for mlp, [N, 1, 28, 28] for cnn;
/// logits [N, 10]) agree with ONNX Runtime on random inputs, and pass the ONNX checker. A float64 MLP checks 1e-5.
/// </summary>
public class MnistExportTests
{
    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    public void MnistModelAgreesWithOnnxRuntime(string name)
    {
        var (model, shape) = MnistModels.Create(name, seed: 3, mean: 0.13, std: 0.31);
        using var trainer = new ClassifierTrainer(model, shape);
        var onnx = OnnxExporter.Export(trainer.Session, new Dictionary<string, Node> { ["x"] = trainer.X }, new Dictionary<string, Node> { ["logits"] = trainer.Logits });
        var x = Tensor.RandomUniform(new Shape([5, .. shape]), seed: 11);
        var expected = trainer.Session.Run(trainer.Logits, new Feeds { [trainer.X] = x });
        Assert.Equal(new Shape(5, 10), expected.Shape);
        var actual = OnnxRuntimeRunner.Run(onnx, [("x", x)], ["logits"])[0];
        OnnxRuntimeRunner.Close(expected, actual, 1e-4, name);
    }

    [Fact]
    public void Float64MlpAgreesWithinOneInTenToTheFive()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(-1, 6), DType.Float64);
        var w1 = g.Variable("w1", Tensor.RandomNormal(new Shape(6, 8), 1, dtype: DType.Float64));
        var b1 = g.Variable("b1", Tensor.RandomNormal(new Shape(8), 2, dtype: DType.Float64));
        var w2 = g.Variable("w2", Tensor.RandomNormal(new Shape(8, 3), 3, dtype: DType.Float64));
        var y = (x.MatMul(w1) + b1).Tanh().MatMul(w2).LogSoftmax();
        using var s = new Session(g);
        var onnx = OnnxExporter.Export(s, new Dictionary<string, Node> { ["x"] = x }, new Dictionary<string, Node> { ["y"] = y });
        var input = Tensor.RandomNormal(new Shape(4, 6), 4, dtype: DType.Float64);
        OnnxRuntimeRunner.Close(s.Run(y, new Feeds { [x] = input }), OnnxRuntimeRunner.Run(onnx, [("x", input)], ["y"])[0], 1e-5, "float64 mlp");
    }

    [Fact]
    public void TrainingGraphNamesTheNodeWithoutCounterpart()
    {
        var (model, shape) = MnistModels.Create("mlp", seed: 3);
        using var trainer = new ClassifierTrainer(model, shape, new Sgd(0.1));
        var e = Assert.Throws<OnnxException>(() => OnnxExporter.Export(trainer.Session,
            new Dictionary<string, Node> { ["x"] = trainer.X, ["labels"] = trainer.Labels }, new Dictionary<string, Node> { ["loss"] = trainer.Loss! }));
        Assert.Contains("SoftmaxCrossEntropy", e.Message);
    }

    [PythonFact("onnx", "python3-onnx")]
    public void ExportedMnistModelsPassTheOnnxChecker()
    {
        using var dir = new Scratch();
        foreach (var name in MnistModels.Names)
        {
            var (model, shape) = MnistModels.Create(name, seed: 3);
            using var trainer = new ClassifierTrainer(model, shape);
            OnnxExporter.Export(dir.File($"{name}.onnx"), trainer.Session, new Dictionary<string, Node> { ["x"] = trainer.X }, new Dictionary<string, Node> { ["logits"] = trainer.Logits });
        }
        var (code, output) = Python.Run(
            "import sys, onnx\n" +
            "for f in sys.argv[1:]:\n" +
            "    m = onnx.load(f); onnx.checker.check_model(m, full_check=True)\n" +
            "    assert m.opset_import[0].version == 17\n" +
            "print('checked')", dir.File("mlp.onnx"), dir.File("cnn.onnx"));
        Assert.True(code == 0 && output.Contains("checked"), output);
    }
}
