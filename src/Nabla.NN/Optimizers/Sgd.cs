namespace Nabla.NN;

/// <summary>Plain gradient descent: w ← w − lr·g.</summary>
public sealed class Sgd : Optimizer
{
    public Sgd(double learningRate) : this(LearningRateSchedule.Constant(learningRate)) { }
    public Sgd(LearningRateSchedule schedule) : base(schedule) { }

    protected override Node Update(Node variable, Node gradient, Node learningRate) => variable.ApplyGradientDescent(learningRate, gradient, UseLocking);
}
