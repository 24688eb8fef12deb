namespace Nabla.NN;

/// <summary>RMSProp (Hinton): s ← ρ·s + (1−ρ)·g²; w ← w − lr·g/(√s + ε).</summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>RMSProp with a constant learning rate; ρ must be in [0, 1).</summary>
    public RmsProp(double learningRate = 1e-3, double rho = 0.9, double epsilon = 1e-7)
        : this(LearningRateSchedule.Constant(learningRate), rho, epsilon) { }

    /// <summary>RMSProp with a learning rate that follows <paramref name="schedule"/>; ρ must be in [0, 1).</summary>
    public RmsProp(LearningRateSchedule schedule, double rho = 0.9, double epsilon = 1e-7) : base(schedule)
    {
        if (rho is < 0 or >= 1) throw new InvalidGraphArgumentException($"RmsProp: rho must be in [0, 1), got {rho}.");
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary>ρ, the decay of the moving mean of the squared gradient.</summary>
    public double Rho { get; }
    /// <summary>ε, added to √s to keep the step finite.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override string Settings => $"rho={Rho}, epsilon={Epsilon}";

    /// <inheritdoc/>
    protected override Node Update(Node variable, Node gradient, Node learningRate) =>
        variable.ApplyRmsProp(Slot(variable, "rms"), learningRate, gradient, Rho, Epsilon, UseLocking);
}
