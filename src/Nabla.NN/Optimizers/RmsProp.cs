namespace Nabla.NN;

/// <summary>RMSProp (Hinton): s ← ρ·s + (1−ρ)·g²; w ← w − lr·g/(√s + ε).</summary>
public sealed class RmsProp : Optimizer
{
    public RmsProp(double learningRate = 1e-3, double rho = 0.9, double epsilon = 1e-7)
        : this(LearningRateSchedule.Constant(learningRate), rho, epsilon) { }

    public RmsProp(LearningRateSchedule schedule, double rho = 0.9, double epsilon = 1e-7) : base(schedule)
    {
        if (rho is < 0 or >= 1) throw new InvalidGraphArgumentException($"RmsProp: rho must be in [0, 1), got {rho}.");
        Rho = rho;
        Epsilon = epsilon;
    }

    public double Rho { get; }
    public double Epsilon { get; }

    protected override Node Update(Node variable, Node gradient, Node learningRate) =>
        variable.ApplyRmsProp(Slot(variable, "rms"), learningRate, gradient, Rho, Epsilon, UseLocking);
}
