using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// An optimizer step that writes a variable (input 0) and its slot variables in place from a gradient,
/// with scalar learning-rate inputs, and outputs the scalar 0. Inputs: the variable, <see cref="SlotCount"/>
/// slot variables, the gradient, then <see cref="ScalarCount"/> scalars. Stateful: not differentiable.
/// </summary>
internal abstract class ApplyUpdateOp : Op
{
    protected abstract int SlotCount { get; }
    protected virtual int ScalarCount => 1;
    public override bool IsStateful => true;
    public override bool MayFailWhenRun => false;

    /// <summary>
    /// Hold a lock on the variable for the whole update (TensorFlow's use_locking), so concurrent runs never lose
    /// one another's updates. Off, updates from concurrent runs may interleave element by element (faster, lock-free).
    /// </summary>
    public bool UseLocking { get => _useLocking; init => _useLocking = value; }
    private bool _useLocking;

    /// <summary>Adds use_locking to a model file's attributes of this update.</summary>
    protected void WriteLocking(OpAttributes a) => a.Set("use_locking", UseLocking);

    /// <summary>Reads use_locking back (absent in files written before it was saved: false).</summary>
    protected void ReadLocking(OpAttributes a) => _useLocking = a.Has("use_locking") && a.Bool("use_locking");

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        if (inputShapes.Length != SlotCount + 2 + ScalarCount)
            throw new InvalidGraphArgumentException($"{Type} '{node.Name}' takes {SlotCount + 2 + ScalarCount} inputs, got {inputShapes.Length}.");
        for (int i = 0; i <= SlotCount; i++)
        {
            if (node.Inputs[i].Op.SourceKind != SourceKind.Variable)
                throw new InvalidGraphArgumentException($"{Type} '{node.Name}': input {i} '{node.Inputs[i].Name}' is a {node.Inputs[i].OpType}, not a Variable; updates write variables in place.");
            if (inputShapes[i] != inputShapes[0])
                throw OpChecks.Mismatch(node, inputShapes, $"slot '{node.Inputs[i].Name}' must have the shape of the variable '{node.Inputs[0].Name}'.");
        }
        var grad = inputShapes[SlotCount + 1];
        if (!grad.IsCompatibleWith(inputShapes[0]))
            throw OpChecks.Mismatch(node, inputShapes, $"the gradient '{node.Inputs[SlotCount + 1].Name}' must have the shape of the variable '{node.Inputs[0].Name}'.");
        for (int i = SlotCount + 2; i < inputShapes.Length; i++)
            if (inputShapes[i].IsFullyKnown && inputShapes[i].Size != 1)
                throw OpChecks.Mismatch(node, inputShapes, $"the learning rate '{node.Inputs[i].Name}' must be a scalar.");
        return Shape.Scalar;
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        if (UseLocking)
            lock (inputs[0].Buffer) Update<T>(inputs);
        else Update<T>(inputs);
        output.Span<T>()[0] = T.Zero;
    }

    /// <summary>Runs the kernel; inputs[0] and the slots are the session's variable storage.</summary>
    protected abstract void Update<T>(ReadOnlySpan<Tensor> inputs) where T : unmanaged, IFloatingPointIeee754<T>;

    protected static T Scalar<T>(Tensor t) where T : unmanaged, IFloatingPointIeee754<T> => t.Span<T>()[0];

    public override Node?[] Vjp(Node node, Node dy) =>
        throw new GradientException($"{Type} '{node.Name}' changes state and has no gradient.");
}

/// <summary>w ← w − lr·g − lr·λ·w (inputs: w, g, lr; λ the decoupled weight decay).</summary>
internal sealed class ApplyGradientDescentOp(double weightDecay = 0) : ApplyUpdateOp
{
    public override string Type => "ApplyGradientDescent";
    internal ApplyGradientDescentOp(OpAttributes a) : this(a.Has("weight_decay") ? a.Double("weight_decay") : 0) { ReadLocking(a); }
    public override void WriteAttributes(OpAttributes a) => WriteLocking(a.Set("weight_decay", weightDecay));
    public override string Attributes => weightDecay == 0 ? "" : $"weight_decay={weightDecay}";
    protected override int SlotCount => 0;
    protected override void Update<T>(ReadOnlySpan<Tensor> inputs) =>
        Updates.GradientDescent(inputs[0].Span<T>(), inputs[1].Span<T>(), Scalar<T>(inputs[2]), T.CreateChecked(weightDecay));
}

/// <summary>a ← μa + g; w ← w − lr·a (Nesterov: w ← w − lr·(g + μa)), minus lr·λ·w. Inputs: w, a, g, lr.</summary>
internal sealed class ApplyMomentumOp(double momentum, bool nesterov, double weightDecay = 0) : ApplyUpdateOp
{
    public override string Type => "ApplyMomentum";
    internal ApplyMomentumOp(OpAttributes a) : this(a.Double("momentum"), a.Bool("nesterov"), a.Has("weight_decay") ? a.Double("weight_decay") : 0) { ReadLocking(a); }
    public override void WriteAttributes(OpAttributes a) => WriteLocking(a.Set("momentum", momentum).Set("nesterov", nesterov).Set("weight_decay", weightDecay));
    public override string Attributes => $"momentum={momentum}, nesterov={nesterov}" + (weightDecay == 0 ? "" : $", weight_decay={weightDecay}");
    protected override int SlotCount => 1;
    protected override void Update<T>(ReadOnlySpan<Tensor> inputs) =>
        Updates.Momentum(inputs[0].Span<T>(), inputs[1].Span<T>(), inputs[2].Span<T>(), Scalar<T>(inputs[3]), T.CreateChecked(momentum), nesterov, T.CreateChecked(weightDecay));
}

/// <summary>s ← ρs + (1−ρ)g²; w ← w − lr·g/(√s + ε) − lr·λ·w. Inputs: w, s, g, lr.</summary>
internal sealed class ApplyRmsPropOp(double rho, double epsilon, double weightDecay = 0) : ApplyUpdateOp
{
    public override string Type => "ApplyRMSProp";
    internal ApplyRmsPropOp(OpAttributes a) : this(a.Double("rho"), a.Double("epsilon"), a.Has("weight_decay") ? a.Double("weight_decay") : 0) { ReadLocking(a); }
    public override void WriteAttributes(OpAttributes a) => WriteLocking(a.Set("rho", rho).Set("epsilon", epsilon).Set("weight_decay", weightDecay));
    public override string Attributes => $"rho={rho}, epsilon={epsilon}" + (weightDecay == 0 ? "" : $", weight_decay={weightDecay}");
    protected override int SlotCount => 1;
    protected override void Update<T>(ReadOnlySpan<Tensor> inputs) =>
        Updates.RmsProp(inputs[0].Span<T>(), inputs[1].Span<T>(), inputs[2].Span<T>(), Scalar<T>(inputs[3]), T.CreateChecked(rho), T.CreateChecked(epsilon), T.CreateChecked(weightDecay));
}

/// <summary>Adam, and AdamW when the weight decay is not 0. Inputs: w, m, v, g, lr, lrT (the bias-corrected rate).</summary>
internal sealed class ApplyAdamOp(double beta1, double beta2, double epsilon, double weightDecay) : ApplyUpdateOp
{
    public override string Type => "ApplyAdam";
    internal ApplyAdamOp(OpAttributes a) : this(a.Double("beta1"), a.Double("beta2"), a.Double("epsilon"), a.Double("weight_decay")) { ReadLocking(a); }
    public override void WriteAttributes(OpAttributes a) => WriteLocking(a.Set("beta1", beta1).Set("beta2", beta2).Set("epsilon", epsilon).Set("weight_decay", weightDecay));
    public override string Attributes => $"beta1={beta1}, beta2={beta2}, epsilon={epsilon}, weight_decay={weightDecay}";
    protected override int SlotCount => 2;
    protected override int ScalarCount => 2;
    protected override void Update<T>(ReadOnlySpan<Tensor> inputs) =>
        Updates.Adam(inputs[0].Span<T>(), inputs[1].Span<T>(), inputs[2].Span<T>(), inputs[3].Span<T>(), Scalar<T>(inputs[4]), Scalar<T>(inputs[5]),
            T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(epsilon), T.CreateChecked(weightDecay));
}

public sealed partial class Node
{
    /// <summary>
    /// On this variable: w ← w − lr·g − lr·λ·w when run, λ the decoupled <paramref name="weightDecay"/>; outputs 0.
    /// <paramref name="useLocking"/>: hold the variable's lock for the update, so concurrent runs lose no updates. Stateful: not differentiable.
    /// </summary>
    public Node ApplyGradientDescent(Node learningRate, Node gradient, bool useLocking = false, double weightDecay = 0) =>
        Graph.Apply(new ApplyGradientDescentOp(weightDecay) { UseLocking = useLocking }, [this, gradient, learningRate]);

    /// <summary>
    /// On this variable with accumulator a: a ← μa + g; w ← w − lr·a (or lr·(g + μa) with Nesterov) − lr·λ·w, λ the decoupled
    /// <paramref name="weightDecay"/>; <paramref name="useLocking"/>: hold the variable's lock for the update. Stateful: not differentiable.
    /// </summary>
    public Node ApplyMomentum(Node accumulator, Node learningRate, Node gradient, double momentum, bool nesterov = false, bool useLocking = false, double weightDecay = 0) =>
        Graph.Apply(new ApplyMomentumOp(momentum, nesterov, weightDecay) { UseLocking = useLocking }, [this, accumulator, gradient, learningRate]);

    /// <summary>
    /// On this variable with mean square s: s ← ρs + (1−ρ)g²; w ← w − lr·g/(√s + ε) − lr·λ·w, λ the decoupled
    /// <paramref name="weightDecay"/>; <paramref name="useLocking"/>: hold the variable's lock for the update. Stateful: not differentiable.
    /// </summary>
    public Node ApplyRmsProp(Node meanSquare, Node learningRate, Node gradient, double rho, double epsilon, bool useLocking = false, double weightDecay = 0) =>
        Graph.Apply(new ApplyRmsPropOp(rho, epsilon, weightDecay) { UseLocking = useLocking }, [this, meanSquare, gradient, learningRate]);

    /// <summary>
    /// On this variable with moments m, v: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lrT·m/(√v + ε) − lr·λ·w,
    /// where <paramref name="correctedRate"/> is lr·√(1−β₂ᵗ)/(1−β₁ᵗ) and λ the decoupled weight decay (AdamW);
    /// <paramref name="useLocking"/>: hold the variable's lock for the update. Stateful: not differentiable.
    /// </summary>
    public Node ApplyAdam(Node m, Node v, Node learningRate, Node correctedRate, Node gradient, double beta1, double beta2, double epsilon, double weightDecay = 0,
        bool useLocking = false) =>
        Graph.Apply(new ApplyAdamOp(beta1, beta2, epsilon, weightDecay) { UseLocking = useLocking }, [this, m, v, gradient, learningRate, correctedRate]);
}
