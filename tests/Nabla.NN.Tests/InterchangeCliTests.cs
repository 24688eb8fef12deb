using Nabla.Cli;
using Nabla.Onnx;

namespace Nabla.NN.Tests;

/// <summary>The interchange commands: train writes a model file and a resume point; eval, predict and export read them.</summary>
public class InterchangeCliTests
{
    private static (int Code, string Out, string Err) Nabla(params string[] args) => CliTests.Nabla(args);

    [Fact]
    public void ModelFileFromTrainIsEvaluatedPredictedAndExportedWithoutArchitecture()
    {
        using var dir = new TempDir();
        var train = Nabla("train", "--epochs", "1", "--limit", "300", "--batch", "50", "--data", Shipped.MnistSubset, "--out", dir.Path, "--seed", "2");
        Assert.True(train.Code == 0, train.Err);
        var modelFile = Path.Combine(dir.Path, "model.nabla");
        var log = TrainingLog.FromJson(File.ReadAllText(Path.Combine(dir.Path, "metrics.json")));

        var eval = Nabla("eval", "--model", modelFile, "--data", Shipped.MnistSubset, "--limit", "300");
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains($"test accuracy {log.Epochs[0].TestAccuracy:P2}", eval.Out);
        var predict = Nabla("predict", "--model", modelFile, "--data", Shipped.MnistSubset, "--limit", "300");
        Assert.True(predict.Code == 0, predict.Err);
        Assert.Contains($"accuracy {log.Epochs[0].TestAccuracy:P2}", predict.Out);

        // Two test images as .npy files: predict gives the model's own predictions for them.
        var test = Mnist.LoadPair(Shipped.MnistSubset, "t10k").Take(2);
        var (x, _) = test.Batch(test.Sequence(), 0, 2);
        var images = new[] { dir.File("a.npy"), dir.File("b.npy") };
        for (int i = 0; i < 2; i++) Npy.Write(images[i], Tensor.FromArray(x.ToArray<float>()[(i * 784)..((i + 1) * 784)], 28, 28));
        using (var model = ModelFile.Load(modelFile))
        {
            var digits = ClassifierModelFile.Predict(model, x);
            var r = Nabla(["predict", "--model", modelFile, .. images]);
            Assert.True(r.Code == 0, r.Err);
            Assert.Contains($"a.npy: {digits[0]}", r.Out);
            Assert.Contains($"b.npy: {digits[1]}", r.Out);
        }

        // Export from the model file and from the checkpoint: both ONNX files give the trained model's logits.
        foreach (var (option, source, name) in new[] { ("--model", modelFile, "m.onnx"), ("--checkpoint", Path.Combine(dir.Path, "model.ckpt"), "c.onnx") })
        {
            var r = Nabla("export", option, source, "--onnx", dir.File(name));
            Assert.True(r.Code == 0, r.Err);
            using var imported = OnnxImporter.Import(dir.File(name));
            using var model = ModelFile.Load(modelFile);
            var serve = model.Signature("serve");
            var expected = model.Session.Run(serve.Output("logits"), new Feeds { [serve.Input("x")] = x });
            var actual = imported.Session.Run(imported.Signature("serve").Output("logits"), new Feeds { [imported.Signature("serve").Input("x")] = x });
            var e = expected.ToArray<float>();
            var a = actual.ToArray<float>();
            for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4 * Math.Max(1, Math.Abs(e[i])), $"{option}: logit {i}");
        }
        Assert.Contains("exactly one of --checkpoint FILE or --model FILE", Nabla("export", "--onnx", dir.File("x.onnx")).Err);
    }

    [Fact]
    public void ResumeContinuesWhereTheRunStopped()
    {
        using var dir = new TempDir();
        var first = Nabla("train", "--epochs", "1", "--limit", "200", "--batch", "50", "--data", Shipped.MnistSubset, "--out", dir.Path, "--seed", "3");
        Assert.True(first.Code == 0, first.Err);
        var before = File.ReadAllBytes(Path.Combine(dir.Path, "model.ckpt"));
        var resumed = Nabla("train", "--resume", dir.Path, "--epochs", "2");
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("epoch 2/2", resumed.Out);
        Assert.DoesNotContain("epoch 1/2", resumed.Out);
        Assert.NotEqual(before, File.ReadAllBytes(Path.Combine(dir.Path, "model.ckpt")));
        Assert.Contains("no resume point", Nabla("train", "--resume", dir.File("nowhere")).Err);
    }

    [Fact]
    public void ShowDrawsAnImportedOnnxModel()
    {
        using var dir = new TempDir();
        var (model, shape) = MnistModels.Create("mlp", seed: 1);
        using var trainer = new ClassifierTrainer(model, shape);
        OnnxExporter.Export(dir.File("mlp.onnx"), trainer.Session, new Dictionary<string, Node> { ["x"] = trainer.X }, new Dictionary<string, Node> { ["logits"] = trainer.Logits });
        var r = Nabla("show", "--onnx", dir.File("mlp.onnx"), "--dot", dir.File("mlp.dot"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("inputs x [?, 784]", r.Out);
        var dot = File.ReadAllText(dir.File("mlp.dot"));
        Assert.Contains("digraph", dot);
        Assert.Contains("MatMul", dot);
    }

    [Fact]
    public void ShowDrawsAModelFileWithControlFlowAndExplainsIt()
    {
        using var dir = new TempDir();
        var g = new Graph();
        var xs = g.Placeholder("xs", new Shape(-1, 3));
        var w = g.Variable("w", Tensor.RandomNormal(new Shape(3), seed: 1));
        var (last, _) = g.Scan((c, x) => new ScanStep([(c[0] * w + x[0]).Tanh()], []), [g.Constant(Tensor.Zeros(new Shape(3)))], [xs], name: "rnn");
        using var session = new Session(g);
        ModelFile.Save(dir.File("rnn.nabla"), session, new Dictionary<string, Signature>
        {
            ["serve"] = new(new Dictionary<string, Node> { ["xs"] = xs }, new Dictionary<string, Node> { ["h"] = last[0] }),
        });
        var r = Nabla("show", "--model", dir.File("rnn.nabla"), "--dot", dir.File("rnn.dot"));
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("rnn is a Scan: it runs its step once per row of its elements", r.Out);
        Assert.Contains("reverse mode runs a Scan the other way", r.Out);
        var dot = File.ReadAllText(dir.File("rnn.dot"));
        Assert.Contains("subgraph \"cluster_cf", dot);
        Assert.Contains("Tanh", dot);
        Assert.NotEqual(0, Nabla("show").Code);
        Assert.NotEqual(0, Nabla("show", "--model", dir.File("rnn.nabla"), "--onnx", dir.File("rnn.onnx")).Code);
    }
}
