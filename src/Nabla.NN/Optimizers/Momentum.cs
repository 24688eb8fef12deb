namespace Nabla.NN;

/// <summary>
/// Gradient descent with momentum: a ← μ·a + g; w ← w − lr·a. With Nesterov's look-ahead,
/// w ← w − lr·(g + μ·a) (the formulation of Sutskever et al. 2013 used by TensorFlow and PyTorch).
/// </summary>
public sealed class Momentum : Optimizer
{
    /// <summary>Momentum with a constant learning rate; μ must be in [0, 1).</summary>
    public Momentum(double learningRate, double momentum = 0.9, bool nesterov = false)
        : this(LearningRateSchedule.Constant(learningRate), momentum, nesterov) { }

    /// <summary>Momentum with a learning rate that follows <paramref name="schedule"/>; μ must be in [0, 1).</summary>
    public Momentum(LearningRateSchedule schedule, double momentum = 0.9, bool nesterov = false) : base(schedule)
    {
        if (momentum is < 0 or >= 1) throw new InvalidGraphArgumentException($"Momentum: momentum must be in [0, 1), got {momentum}.");
        Mu = momentum;
        Nesterov = nesterov;
    }

    /// <summary>μ, the fraction of the accumulated step kept from one step to the next.</summary>
    public double Mu { get; }
    /// <summary>True for Nesterov's look-ahead form.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override string Settings => $"momentum={Mu}, nesterov={(Nesterov ? "true" : "false")}";

    /// <inheritdoc/>
    protected override Node Update(Node variable, Node gradient, Node learningRate) =>
        variable.ApplyMomentum(Slot(variable, "momentum"), learningRate, gradient, Mu, Nesterov, UseLocking);
}
