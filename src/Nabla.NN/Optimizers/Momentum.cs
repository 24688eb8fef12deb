namespace Nabla.NN;

/// <summary>
/// Gradient descent with momentum: a ← μ·a + g; w ← w − lr·a. With Nesterov's look-ahead,
/// w ← w − lr·(g + μ·a) (the formulation of Sutskever et al. 2013 used by TensorFlow and PyTorch).
/// </summary>
public sealed class Momentum : Optimizer
{
    public Momentum(double learningRate, double momentum = 0.9, bool nesterov = false)
        : this(LearningRateSchedule.Constant(learningRate), momentum, nesterov) { }

    public Momentum(LearningRateSchedule schedule, double momentum = 0.9, bool nesterov = false) : base(schedule)
    {
        if (momentum is < 0 or >= 1) throw new InvalidGraphArgumentException($"Momentum: momentum must be in [0, 1), got {momentum}.");
        Mu = momentum;
        Nesterov = nesterov;
    }

    public double Mu { get; }
    public bool Nesterov { get; }

    protected override Node Update(Node variable, Node gradient, Node learningRate) =>
        variable.ApplyMomentum(Slot(variable, "momentum"), learningRate, gradient, Mu, Nesterov, UseLocking);
}
