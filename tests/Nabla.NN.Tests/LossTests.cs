namespace Nabla.NN.Tests;

/// <summary>Each loss against its formula evaluated by hand.</summary>
public class LossTests
{
    private static double Eval(Func<Graph, Node> build)
    {
        var g = new Graph();
        using var s = new Session(g);
        return s.Run(build(g)).Scalar<double>();
    }

    private static Node Const(Graph g, double[] values, params int[] dims) => g.Constant(Tensor.FromArray(values, dims));

    [Fact]
    public void MeanSquaredErrorAveragesAllElements() =>
        Assert.Equal((1 + 4 + 0 + 9) / 4.0, Eval(g => Losses.MeanSquaredError(Const(g, [1, 2, 3, 4], 2, 2), Const(g, [0, 0, 3, 1], 2, 2))), 12);

    [Fact]
    public void SoftmaxCrossEntropyIsTheMeanNegativeLogLikelihood()
    {
        double[] z = [1, 2, 3, 0, 0, 0];
        double Nll(int row, int label) => Math.Log(Enumerable.Range(0, 3).Sum(j => Math.Exp(z[row * 3 + j]))) - z[row * 3 + label];
        Assert.Equal((Nll(0, 2) + Nll(1, 0)) / 2, Eval(g => Losses.SoftmaxCrossEntropy(Const(g, z, 2, 3), Const(g, [2, 0], 2))), 10);
    }

    [Fact]
    public void BinaryCrossEntropyWorksFromLogits()
    {
        double Bce(double z, double t) => -(t * Math.Log(1 / (1 + Math.Exp(-z))) + (1 - t) * Math.Log(1 - 1 / (1 + Math.Exp(-z))));
        Assert.Equal((Bce(2, 1) + Bce(-1, 0) + Bce(0.5, 0.3)) / 3, Eval(g => Losses.BinaryCrossEntropy(Const(g, [2, -1, 0.5], 3), Const(g, [1, 0, 0.3], 3))), 10);
    }

    [Fact]
    public void LossesAreNodesNamedLoss()
    {
        var g = new Graph();
        var p = Const(g, [1, 2], 2);
        Assert.Equal("loss", Losses.MeanSquaredError(p, Const(g, [0, 0], 2)).Name);
        Assert.Equal("loss_1", Losses.BinaryCrossEntropy(p, Const(g, [1, 0], 2)).Name); // names stay unique in a graph
        Assert.Equal("val_loss", Losses.SoftmaxCrossEntropy(Const(g, [1, 2, 3, 4], 2, 2), Const(g, [0, 1], 2), "val_loss").Name);
        using var trainer = new ClassifierTrainer(new Sequential(1, new Dense(3)), [2], new Sgd(0.1));
        Assert.Equal("loss", trainer.Loss!.Name);
        Assert.Equal("eval_loss", trainer.EvalLoss.Name);
    }
}
