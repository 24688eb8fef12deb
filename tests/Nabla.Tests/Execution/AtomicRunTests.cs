using Nabla.Execution;
using Nabla.NN;

namespace Nabla.Tests.Execution;

/// <summary>
/// A run that throws leaves every variable as it was: the plan copies the variables written before a step that may
/// still fail, and only those. Ordinary training steps write after every step that can fail, so they copy nothing.
/// </summary>
public class AtomicRunTests
{
    private static readonly Dictionary<string, Func<Optimizer>> Optimizers = new()
    {
        ["sgd"] = () => new Sgd(0.01), ["sgd-clip"] = () => new Sgd(0.01) { ClipNorm = 1 },
        ["momentum"] = () => new Momentum(0.01), ["momentum-clip"] = () => new Momentum(0.01, nesterov: true) { ClipNorm = 1 },
        ["adam"] = () => new Adam(1e-3), ["adamw-clip"] = () => new AdamW(1e-3) { ClipNorm = 1 },
        ["rmsprop"] = () => new RmsProp(1e-3), ["rmsprop-clip"] = () => new RmsProp(1e-3) { ClipNorm = 1, L2 = 1e-4 },
    };

    public static TheoryData<string> OptimizerNames => [.. Optimizers.Keys];

    /// <summary>A 784-256-10 ReLU network with mean softmax cross-entropy; layers wide enough that updates fuse.</summary>
    private static (Graph Graph, Node Loss, Node[] Variables, Feeds Feeds) Mlp()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(64, 784));
        var labels = g.Placeholder("labels", new Shape(64));
        var w1 = g.Variable("w1", Tensor.RandomNormal(new Shape(784, 256), 1, 0, 0.05));
        var b1 = g.Variable("b1", Tensor.Zeros(new Shape(256)));
        var w2 = g.Variable("w2", Tensor.RandomNormal(new Shape(256, 10), 2, 0, 0.05));
        var b2 = g.Variable("b2", Tensor.Zeros(new Shape(10)));
        var loss = Node.SoftmaxCrossEntropy((x.MatMul(w1) + b1).Relu().MatMul(w2) + b2, labels).Mean();
        var feeds = new Feeds { [x] = Tensor.RandomUniform(new Shape(64, 784), 3), [labels] = Tensor.Zeros(new Shape(64)) };
        return (g, loss, [w1, b1, w2, b2], feeds);
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void ATrainingStepCopiesNoVariable(string optimizer)
    {
        var (g, loss, _, feeds) = Mlp();
        var train = Optimizers[optimizer]().Minimize(loss);
        using var s = new Session(g);
        var plan = PlanBuilder.Build(s, [loss, train], feeds);
        Assert.NotEmpty(plan.WrittenSlots);
        Assert.Empty(plan.SavedSlots);
    }

    [Fact]
    public void AssignedUpdatesInterleavedWithTheirArithmeticCopyNoVariable()
    {
        // w ← w − lr·g one variable after another: each update's Mul and Sub run after the previous Assign.
        var (g, loss, vars, feeds) = Mlp();
        var grads = g.Gradients(loss, vars);
        var train = g.Group([.. vars.Select((v, i) => v.Assign(v - 0.01 * grads[i]!))]);
        using var s = new Session(g);
        var plan = PlanBuilder.Build(s, [loss, train], feeds);
        Assert.Equal(4, plan.WrittenSlots.Length);
        Assert.Empty(plan.SavedSlots);
    }

    [Fact]
    public void AFusedAssignBeforeAFailingStepIsUndone()
    {
        // v·2 − x → v runs as one fused loop (4,096 elements); the Gather after it fails on an index out of range.
        var g = new Graph();
        var start = Tensor.RandomNormal(new Shape(1024, 4), 5);
        var v = g.Variable("v", start);
        var x = g.Placeholder("x", new Shape(1024, 4));
        var ids = g.Placeholder("ids", new Shape(1));
        var assign = v.Assign(v * 2 - x);
        var gathered = assign.Gather(ids);
        using var s = new Session(g);
        var feeds = new Feeds { [x] = Tensor.RandomNormal(new Shape(1024, 4), 6), [ids] = Tensor.FromArray([5000f], 1) };
        Assert.Single(PlanBuilder.Build(s, [assign, gathered], feeds).SavedSlots);
        Assert.Throws<InvalidValueException>(() => s.Run([assign, gathered], feeds));
        Assert.Equal(start.ToArray<float>(), s.GetVariable(v).ToArray<float>());

        feeds[ids] = Tensor.FromArray([3f], 1);
        s.Run([assign, gathered], feeds);
        var expected = start.ToArray<float>().Zip(feeds[x].ToArray<float>(), (a, b) => a * 2 - b).ToArray();
        Assert.Equal(expected, s.GetVariable(v).ToArray<float>());
    }

    [Fact]
    public void AWriteThatFailsItsNumericsCheckIsUndone()
    {
        var g = new Graph();
        var v = g.Variable("v", Tensor.FromArray([1f, 2f], 2));
        var x = g.Placeholder("x", new Shape(2));
        var assign = v.Assign(x);
        using var s = new Session(g, new SessionOptions { CheckNumerics = true });
        Assert.Throws<NonFiniteValueException>(() => s.Run(assign, new Feeds { [x] = Tensor.FromArray([float.NaN, 3f], 2) }));
        Assert.Equal([1f, 2f], s.GetVariable(v).ToArray<float>());
    }

    [Fact]
    public void AFedVariableWrittenInsideAFusedLoopIsNotModified()
    {
        var g = new Graph();
        var v = g.Variable("v", Tensor.Zeros(new Shape(4096)));
        var assign = v.Assign(v * 2 + 1);
        using var s = new Session(g);
        var fed = Tensor.RandomNormal(new Shape(4096), 7);
        var copy = fed.ToArray<float>();
        var result = s.Run(assign, new Feeds { [v] = fed });
        Assert.Equal(copy, fed.ToArray<float>());
        Assert.Equal(copy.Select(x => x * 2 + 1).ToArray(), result.ToArray<float>());
        Assert.Equal(new float[4096], s.GetVariable(v).ToArray<float>());
    }

    [Fact]
    public void TheLanguageModelsTrainingStepsCopyNoVariable()
    {
        var stream = Enumerable.Range(0, 500).Select(i => i * 7 % 27).ToArray();
        CharLanguageModel[] models =
        [
            new(new CharTransformerConfig(27, 8, 16, 1, 2), new AdamW(1e-3) { ClipNorm = 1 }),
            new(new CharLstmConfig(27, Context: 8, Embedding: 8, Hidden: 16), new AdamW(1e-3) { ClipNorm = 1 }),
        ];
        foreach (var lm in models)
            using (lm)
            {
                lm.TrainStep(stream, 4, new Random(1));
                var plan = lm.Session.LastPlan!;
                Assert.NotEmpty(plan.WrittenSlots);
                Assert.Empty(plan.SavedSlots);
            }
    }
}
