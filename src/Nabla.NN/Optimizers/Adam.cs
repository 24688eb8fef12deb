namespace Nabla.NN;

/// <summary>
/// Adam (Kingma and Ba 2015), in the form of their Algorithm 1's efficient variant: at step t (from 1),
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lrₜ·m/(√v + ε) with lrₜ = lr·√(1−β₂ᵗ)/(1−β₁ᵗ).
/// A non-zero <see cref="WeightDecay"/> λ adds the decoupled decay of AdamW: w ← w − lr·λ·w.
/// </summary>
public class Adam : Optimizer
{
    private Node? _step, _nextStep, _correctedRate;

    /// <summary>Adam with a constant learning rate.</summary>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0)
        : this(LearningRateSchedule.Constant(learningRate), beta1, beta2, epsilon, weightDecay) { }

    /// <summary>Adam with a learning rate that follows <paramref name="schedule"/>; β₁ and β₂ must be in [0, 1) and the weight decay non-negative.</summary>
    public Adam(LearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7, double weightDecay = 0) : base(schedule)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
            throw new InvalidGraphArgumentException($"{GetType().Name}: beta1 and beta2 must be in [0, 1), got {beta1} and {beta2}.");
        if (weightDecay < 0) throw new InvalidGraphArgumentException($"{GetType().Name}: weight decay must be non-negative, got {weightDecay}.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>β₁, the decay of the moving mean of the gradient.</summary>
    public double Beta1 { get; }
    /// <summary>β₂, the decay of the moving mean of the squared gradient.</summary>
    public double Beta2 { get; }
    /// <summary>ε, added to √v to keep the step finite.</summary>
    public double Epsilon { get; }
    /// <summary>λ, the decoupled weight decay (0 for plain Adam).</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override string Settings => $"beta1={Beta1}, beta2={Beta2}, epsilon={Epsilon}, weightDecay={WeightDecay}";

    /// <inheritdoc/>
    protected override Node Prepare(Node learningRate)
    {
        _step = AddSlot("step", Tensor.Scalar(0, learningRate.DType));
        _nextStep = _step + 1.0;
        var g = learningRate.Graph;
        var bias2 = 1.0 - Node.Pow(g.Scalar(Beta2, learningRate.DType), _nextStep);
        var bias1 = 1.0 - Node.Pow(g.Scalar(Beta1, learningRate.DType), _nextStep);
        _correctedRate = learningRate * bias2.Sqrt() / bias1;
        return learningRate;
    }

    /// <inheritdoc/>
    protected override Node Update(Node variable, Node gradient, Node learningRate) =>
        variable.ApplyAdam(Slot(variable, "m"), Slot(variable, "v"), learningRate, _correctedRate!, gradient, Beta1, Beta2, Epsilon, WeightDecay, UseLocking);

    /// <summary>step ← step + 1; with locking as a locked update (step − (−1)·1), so concurrent steps are all counted.</summary>
    protected override IEnumerable<Node> Finish()
    {
        if (!UseLocking) return [_step!.Assign(_nextStep!)];
        var g = _step!.Graph;
        return [_step.ApplyGradientDescent(g.Scalar(-1.0, _step.DType), g.Scalar(1.0, _step.DType), useLocking: true)];
    }
}

/// <summary>AdamW (Loshchilov and Hutter 2019): Adam with weight decay decoupled from the gradient, w ← w − lr·λ·w.</summary>
public sealed class AdamW : Adam
{
    /// <summary>AdamW with a constant learning rate and weight decay λ (default 0.01).</summary>
    public AdamW(double learningRate = 1e-3, double weightDecay = 1e-2, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(learningRate, beta1, beta2, epsilon, weightDecay) { }

    /// <summary>AdamW with a learning rate that follows <paramref name="schedule"/> and weight decay λ (default 0.01).</summary>
    public AdamW(LearningRateSchedule schedule, double weightDecay = 1e-2, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
        : base(schedule, beta1, beta2, epsilon, weightDecay) { }
}
