namespace Nabla;

/// <summary>
/// y = (x − μ)/√(σ² + ε) over the last axis (rows of any width), μ and σ² the row's mean and population variance.
/// A primitive for speed: one fused pass per row instead of six ops. Its Jacobian r·(I − 11ᵀ/n − yyᵀ/n) is
/// symmetric, so VJP and JVP are both LayerNormGrad(x, ·).
/// </summary>
internal sealed class LayerNormOp(double epsilon) : Op
{
    internal LayerNormOp(OpAttributes a) : this(a.Double("epsilon")) { }
    public double Epsilon { get; } = epsilon;
    public override string Type => "LayerNorm";
    public override bool MayFailWhenRun => false;
    public override string Attributes => $"epsilon={Epsilon}";
    public override void WriteAttributes(OpAttributes a) => a.Set("epsilon", Epsilon);

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (!x.IsUnknownRank && x.Rank < 1) throw OpChecks.Mismatch(node, inputShapes, "layer normalization needs rank 1 or more (it normalizes the last axis).");
        return x;
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        Kernels.LayerNorm.Forward(inputs[0].Span<T>(), output.Span<T>(), inputs[0].Shape[-1], T.CreateChecked(Epsilon));

    public override Node?[] Vjp(Node node, Node dy) => [Node.LayerNormGrad(node.Inputs[0], dy, Epsilon)];

    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : Node.LayerNormGrad(node.Inputs[0], tangents[0]!, Epsilon);
}

/// <summary>
/// dx = r·(g − mean(g) − y·mean(g·y)) over the last axis: the adjoint of LayerNorm at x applied to g, in one fused
/// pass per row. Linear and self-adjoint in g, so its g-derivatives are LayerNormGrad(x, ·) again; its x-derivatives
/// come from the same formula written with primitive ops (<see cref="Composite"/>), so every order stays defined.
/// </summary>
internal sealed class LayerNormGradOp(double epsilon) : Op
{
    internal LayerNormGradOp(OpAttributes a) : this(a.Double("epsilon")) { }
    public double Epsilon { get; } = epsilon;
    public override string Type => "LayerNormGrad";
    public override bool MayFailWhenRun => false;
    public override string Attributes => $"epsilon={Epsilon}";
    public override void WriteAttributes(OpAttributes a) => a.Set("epsilon", Epsilon);

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape x = inputShapes[0], g = inputShapes[1];
        if (!x.IsCompatibleWith(g)) throw OpChecks.Mismatch(node, inputShapes, "the gradient must have the shape of x.");
        return x;
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        Kernels.LayerNorm.Backward(inputs[0].Span<T>(), inputs[1].Span<T>(), output.Span<T>(), inputs[0].Shape[-1], T.CreateChecked(Epsilon));

    /// <summary>r·(g − mean(g) − y·mean(g·y)) from Mean, Sqrt and arithmetic.</summary>
    private Node Composite(Node x, Node g)
    {
        var centered = x - x.Mean([-1], true);
        var r = 1.0 / (centered.Square().Mean([-1], true) + Epsilon).Sqrt();
        var y = centered * r;
        return r * (g - g.Mean([-1], true) - y * (g * y).Mean([-1], true));
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node x = node.Inputs[0], g = node.Inputs[1];
        var dx = node.Graph.Gradients(Composite(x, g), [x], dy)[0];
        return [dx, Node.LayerNormGrad(x, dy, Epsilon)];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        Node x = node.Inputs[0], g = node.Inputs[1];
        var fromX = tangents[0] is null ? null : node.Graph.Jvp(Composite(x, g), [x], [tangents[0]!]);
        var fromG = tangents[1] is null ? null : Node.LayerNormGrad(x, tangents[1]!, Epsilon);
        return AD.AddOrNull(fromX, fromG);
    }
}

public sealed partial class Node
{
    /// <summary>
    /// Layer normalization over the last axis, without scale or shift: (x − μ)/√(σ² + ε) per row (Ba et al. 2016).
    /// With y the output and r = 1/√(σ² + ε): dx = r·(dy − mean(dy) − y·mean(dy·y)) per row (<see cref="LayerNormGrad"/>).
    /// </summary>
    public Node LayerNorm(double epsilon = 1e-5)
    {
        if (!(epsilon > 0)) throw new InvalidGraphArgumentException($"LayerNorm of '{Name}': epsilon must be positive, got {epsilon}.");
        return Graph.Apply(new LayerNormOp(epsilon), [this]);
    }

    /// <summary>
    /// The gradient of <see cref="LayerNorm"/> at <paramref name="x"/> for an output gradient <paramref name="dy"/>:
    /// r·(dy − mean(dy) − y·mean(dy·y)) per row of the last axis. Differentiable again: in dy it is itself (it is
    /// linear and symmetric), in x the derivative of that formula.
    /// </summary>
    public static Node LayerNormGrad(Node x, Node dy, double epsilon = 1e-5) => x.Graph.Apply(new LayerNormGradOp(epsilon), [x, dy]);
}
