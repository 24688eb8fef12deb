namespace Nabla.NN;

/// <summary>Plain gradient descent: w ← w − lr·g.</summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Gradient descent with a constant learning rate.</summary>
    public Sgd(double learningRate) : this(LearningRateSchedule.Constant(learningRate)) { }
    /// <summary>Gradient descent with a learning rate that follows <paramref name="schedule"/>.</summary>
    public Sgd(LearningRateSchedule schedule) : base(schedule) { }

    /// <inheritdoc/>
    protected override Node Update(Node variable, Node gradient, Node learningRate) => variable.ApplyGradientDescent(learningRate, gradient, UseLocking);
}
