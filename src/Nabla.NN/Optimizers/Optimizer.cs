namespace Nabla.NN;

/// <summary>
/// Builds training steps, TensorFlow 1 style: <see cref="Minimize"/> returns one node that, when a session
/// runs it, computes the gradients and updates every variable in place through update ops. The learning
/// rate is a variable of the graph, so a schedule changes it between steps without rebuilding anything.
/// </summary>
public abstract class Optimizer
{
    private readonly List<Node> _slots = [];

    /// <summary>An optimizer whose learning rate follows <paramref name="schedule"/>.</summary>
    protected Optimizer(LearningRateSchedule schedule) => Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));

    /// <summary>The learning rate at each step; <see cref="SetStep"/> applies it.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>The optimizer's type and settings: "Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1E-07, weightDecay=0)".</summary>
    public override string ToString() => $"{GetType().Name}(learningRate={Schedule}{(Settings.Length > 0 ? ", " + Settings : "")})";

    /// <summary>The settings beyond the learning rate that <see cref="ToString"/> lists; empty when there are none.</summary>
    protected virtual string Settings => "";

    /// <summary>
    /// Lock each variable for the whole of its update (TensorFlow's use_locking), so that training steps run
    /// concurrently on one session lose none of one another's updates. Off by default: concurrent steps then
    /// update lock-free and may overwrite one another's changes element by element (Hogwild style), which is
    /// faster and harmless for a single training thread.
    /// </summary>
    public bool UseLocking { get; init; }

    /// <summary>The scalar variable holding the current learning rate; set by <see cref="Minimize"/>.</summary>
    public Node? LearningRate { get; private set; }

    /// <summary>The optimizer's own state (moments, accumulators, step counter), e.g. to save in a checkpoint.</summary>
    public IReadOnlyList<Node> Slots => _slots;

    /// <summary>
    /// When set, the gradients are scaled together by c/max(‖g‖, c), ‖g‖ the global norm over every variable's gradient,
    /// before the update, in the same graph step (Pascanu et al. 2013): the direction is kept and the length capped at c.
    /// </summary>
    public double? ClipNorm
    {
        get => _clipNorm;
        init => _clipNorm = value is null or > 0 ? value : throw new InvalidGraphArgumentException($"{GetType().Name}: ClipNorm must be positive, got {value}.");
    }

    /// <summary>Coupled L2 weight decay λ: λ·w is added to each gradient (after clipping), as if λ/2·‖w‖² were part of the loss.</summary>
    public double L2
    {
        get => _l2;
        init => _l2 = value >= 0 ? value : throw new InvalidGraphArgumentException($"{GetType().Name}: L2 must be non-negative, got {value}.");
    }

    /// <summary>
    /// Decoupled weight decay λ (Loshchilov and Hutter 2019): each update also takes w ← w − lr·λ·w, outside the gradient,
    /// so adaptive optimizers do not rescale it. For plain gradient descent it equals <see cref="L2"/>.
    /// </summary>
    public double DecoupledWeightDecay
    {
        get => _decoupled;
        init => _decoupled = value >= 0 ? value : throw new InvalidGraphArgumentException($"{GetType().Name}: DecoupledWeightDecay must be non-negative, got {value}.");
    }

    /// <summary>The global norm ‖g‖ = √(Σ‖gᵢ‖²) of the gradients before clipping, set by <see cref="Minimize"/> (fetch it to log it).</summary>
    public Node? GlobalNorm { get; private set; }

    private readonly Lock _rateLock = new();
    private Tensor? _rate;
    private double? _clipNorm;
    private double _l2, _decoupled;

    /// <summary>
    /// A node that, when run, takes one step down the gradient of <paramref name="loss"/> for each of
    /// <paramref name="variables"/> (default: every variable of the graph that the loss depends on).
    /// </summary>
    public Node Minimize(Node loss, IReadOnlyList<Node>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (LearningRate is not null)
            throw new InvalidGraphArgumentException($"{GetType().Name}: Minimize was already called; use one optimizer per training step.");
        var graph = loss.Graph;
        var vars = (variables ?? graph.Variables.ToArray()).ToArray();
        var grads = graph.Gradients(loss, vars);
        var pairs = vars.Zip(grads).Where(p => p.Second is not null).Select(p => (Variable: p.First, Gradient: p.Second!)).ToArray();
        if (pairs.Length == 0)
            throw new GradientException($"{GetType().Name}.Minimize: the loss '{loss.Name}' depends on none of the {vars.Length} variables given.");
        using (graph.NameScope(GetType().Name))
        {
            pairs = Regularize(pairs);
            LearningRate = graph.Variable("learning_rate", Tensor.Scalar(Schedule.At(0), loss.DType));
            var lr = Prepare(LearningRate);
            var updates = pairs.Select(p => Update(p.Variable, p.Gradient, lr)).Concat(Finish()).ToArray();
            return graph.Group(updates);
        }
    }

    /// <summary>The gradients clipped by global norm (when <see cref="ClipNorm"/> is set) and with the L2 term added (when <see cref="L2"/> is).</summary>
    private (Node Variable, Node Gradient)[] Regularize((Node Variable, Node Gradient)[] pairs)
    {
        GlobalNorm = pairs.Select(p => p.Gradient.Square().Sum()).Aggregate((a, b) => a + b).Sqrt("global_norm");
        if (ClipNorm is double clip)
        {
            var scale = clip / Node.Maximum(GlobalNorm, GlobalNorm.Graph.Scalar(clip, GlobalNorm.DType));
            pairs = pairs.Select(p => (p.Variable, p.Gradient * scale)).ToArray();
        }
        if (L2 > 0) pairs = pairs.Select(p => (p.Variable, p.Gradient + p.Variable * L2)).ToArray();
        return pairs;
    }

    /// <summary>Sets the learning-rate variable in <paramref name="session"/> to the schedule's value at <paramref name="step"/>.</summary>
    public void SetStep(Session session, int step)
    {
        if (LearningRate is null) throw new InvalidGraphArgumentException($"{GetType().Name}: call Minimize before SetStep.");
        double rate = Schedule.At(step);
        lock (_rateLock)
        {
            // One scalar reused, so a training loop's SetStep allocates nothing.
            _rate ??= Tensor.Scalar(rate, LearningRate.DType);
            if (_rate.DType == DType.Float64) _rate.AsSpan<double>()[0] = rate;
            else _rate.AsSpan<float>()[0] = (float)rate;
            session.SetVariable(LearningRate, _rate);
        }
    }

    /// <summary>Builds per-step nodes shared by every update (e.g. Adam's bias-corrected rate); returns the rate to use.</summary>
    protected virtual Node Prepare(Node learningRate) => learningRate;

    /// <summary>The update op for one variable and its gradient.</summary>
    protected abstract Node Update(Node variable, Node gradient, Node learningRate);

    /// <summary>Updates that run after all the others in a step (e.g. the step counter).</summary>
    protected virtual IEnumerable<Node> Finish() => [];

    /// <summary>A zero-initialized state variable shaped like <paramref name="variable"/>, named "variable/slot".</summary>
    protected Node Slot(Node variable, string name) => AddSlot($"{variable.Name.Replace('/', '.')}/{name}", Tensor.Zeros(variable.Shape, variable.DType));

    /// <summary>A state variable named <paramref name="name"/> with the value <paramref name="initial"/>, listed in <see cref="Slots"/>.</summary>
    protected Node AddSlot(string name, Tensor initial)
    {
        var slot = LearningRate!.Graph.Variable(name, initial);
        _slots.Add(slot);
        return slot;
    }
}
