namespace Nabla;

/// <summary>
/// One LSTM step's elementwise math in one pass: from the gates' pre-activations z = x-part + h-part, each [N, 4H]
/// (order i, f, g, o), and the cell state c [N, H], the step's values [7, N, H] as blocks h', c', i, f, g, o, tanh(c') with i, f, o = σ(z's
/// gates), g = tanh(z's gate), c' = f⊙c + i⊙g and h' = o⊙tanh(c'). A primitive for speed (one step instead of about
/// ten inside a recurrence's body); its derivatives are those of the same formula written with primitive ops
/// (<see cref="LstmCellMath.Step"/>), so every order stays defined.
/// </summary>
internal sealed class LstmCellOp : Op
{
    public override string Type => "LstmCell";
    public override bool MayFailWhenRun => false;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape z = inputShapes[0], zh = inputShapes[1], c = inputShapes[2];
        if (!z.IsUnknownRank && z.Rank != 2) throw OpChecks.Mismatch(node, inputShapes, "the gates' pre-activations must be [batch, 4·hidden].");
        if (!z.IsCompatibleWith(zh)) throw OpChecks.Mismatch(node, inputShapes, "the two parts of the gates' pre-activations must have one shape.");
        if (z.IsUnknownRank || (z[0] < 0 && !zh.IsUnknownRank)) z = zh;
        if (!c.IsUnknownRank && c.Rank != 2) throw OpChecks.Mismatch(node, inputShapes, "the cell state must be [batch, hidden].");
        int h = LstmCellMath.Hidden(node, inputShapes, z, c);
        int n = z.IsUnknownRank ? -1 : z[0];
        if (n >= 0 && !c.IsUnknownRank && c[0] >= 0 && c[0] != n) throw OpChecks.Mismatch(node, inputShapes, "the pre-activations and the cell state must have the same batch size.");
        if (n < 0 && !c.IsUnknownRank) n = c[0];
        return new Shape(Kernels.LstmCell.Blocks, n, h);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        Kernels.LstmCell.Forward(inputs[0].Span<T>(), inputs[1].Span<T>(), inputs[2].Span<T>(), output.Span<T>(), output.Shape[1], output.Shape[2]);

    public override Node?[] Vjp(Node node, Node dy)
    {
        var x = node.InputArray;
        return node.Graph.Gradients(LstmCellMath.Step(x[0], x[1], x[2]), x, dy);
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        var x = node.InputArray;
        return LstmCellMath.Jvp(node, tangents, LstmCellMath.Step(x[0], x[1], x[2]));
    }
}

/// <summary>
/// The reverse of <see cref="LstmCellOp"/> for its pre-activations in one pass: from the cotangents dh of h' and dc
/// of c' [N, H], the step's values [7, N, H] and the cell state c [N, H] it started from, with
/// d = dc + dh⊙o⊙(1 − tanh²c'): dz = [d⊙g⊙i(1−i), d⊙c⊙f(1−f), d⊙i⊙(1−g²), dh⊙tanh(c')⊙o(1−o)] [N, 4H]. Its derivatives
/// are those of that formula written with primitive ops (<see cref="LstmCellMath.GatesGrad"/>).
/// </summary>
internal sealed class LstmCellGradOp : Op
{
    public override string Type => "LstmCellGrad";
    public override bool MayFailWhenRun => false;

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var state = LstmCellMath.CheckGradShapes(node, inputShapes, 4);
        return state.IsUnknownRank ? new Shape(-1, -1) : new Shape(state[0], state[1] < 0 ? -1 : 4 * state[1]);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        Kernels.LstmCell.GatesBackward(inputs[0].Span<T>(), inputs[1].Span<T>(), inputs[2].Span<T>(), inputs[3].Span<T>(), output.Span<T>(),
            inputs[0].Shape[0], inputs[0].Shape[1]);

    public override Node?[] Vjp(Node node, Node dy)
    {
        var x = node.InputArray;
        return node.Graph.Gradients(LstmCellMath.GatesGrad(x[0], x[1], x[2], x[3]), x, dy);
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        var x = node.InputArray;
        return LstmCellMath.Jvp(node, tangents, LstmCellMath.GatesGrad(x[0], x[1], x[2], x[3]));
    }
}

/// <summary>
/// The reverse of <see cref="LstmCellOp"/> for the cell state it started from, in one pass: (dc + dh⊙o⊙(1 − tanh²c'))⊙f
/// [N, H] from the cotangents dh of h' and dc of c' [N, H] and the step's values [7, N, H]. Its derivatives are those
/// of that formula written with primitive ops (<see cref="LstmCellMath.CellStateGrad"/>).
/// </summary>
internal sealed class LstmCellStateGradOp : Op
{
    public override string Type => "LstmCellStateGrad";
    public override bool MayFailWhenRun => false;

    public override Shape InferShape(Node node, Shape[] inputShapes) => LstmCellMath.CheckGradShapes(node, inputShapes, 3);

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) =>
        Kernels.LstmCell.CellStateBackward(inputs[0].Span<T>(), inputs[1].Span<T>(), inputs[2].Span<T>(), output.Span<T>(), output.Size);

    public override Node?[] Vjp(Node node, Node dy)
    {
        var x = node.InputArray;
        return node.Graph.Gradients(LstmCellMath.CellStateGrad(x[0], x[1], x[2]), x, dy);
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        var x = node.InputArray;
        return LstmCellMath.Jvp(node, tangents, LstmCellMath.CellStateGrad(x[0], x[1], x[2]));
    }
}

/// <summary>The LSTM step ops' formulas written with primitive ops (their derivatives), and their shape checks.</summary>
internal static class LstmCellMath
{
    /// <summary>The hidden size from the pre-activations [N, 4H] or the cell state [N, H] (-1 when neither tells).</summary>
    public static int Hidden(Node node, Shape[] shapes, Shape z, Shape c)
    {
        int fromZ = z.IsUnknownRank || z[1] < 0 ? -1 : z[1] / 4;
        if (fromZ >= 0 && z[1] % 4 != 0) throw OpChecks.Mismatch(node, shapes, $"the pre-activations' width {z[1]} is not 4·hidden (gates i, f, g, o).");
        int fromC = c.IsUnknownRank ? -1 : c[1];
        if (fromZ >= 0 && fromC >= 0 && fromZ != fromC)
            throw OpChecks.Mismatch(node, shapes, $"the pre-activations' width {z[1]} is not 4 × the cell state's width {fromC}.");
        return fromZ >= 0 ? fromZ : fromC;
    }

    /// <summary>
    /// Checks the reverse ops' inputs: dh, dc [N, H], the step's values [7, N, H] and (with 4 inputs) the cell state
    /// [N, H]; returns [N, H].
    /// </summary>
    public static Shape CheckGradShapes(Node node, Shape[] shapes, int count)
    {
        var state = shapes[0];
        for (int k = 0; k < count; k++)
        {
            var s = shapes[k];
            if (s.IsUnknownRank) continue;
            if (k == 2)
            {
                if (s.Rank != 3 || (s[0] >= 0 && s[0] != Kernels.LstmCell.Blocks))
                    throw OpChecks.Mismatch(node, shapes, $"the step's values must be [{Kernels.LstmCell.Blocks}, batch, hidden], as LstmCell gives them.");
                s = new Shape(s[1], s[2]);
            }
            else if (s.Rank != 2) throw OpChecks.Mismatch(node, shapes, "the cotangents and the cell state must be [batch, hidden].");
            if (state.IsUnknownRank) { state = s; continue; }
            if (!state.IsCompatibleWith(s)) throw OpChecks.Mismatch(node, shapes, "the cotangents, the step's values and the cell state must share [batch, hidden].");
            state = new Shape(state[0] >= 0 ? state[0] : s[0], state[1] >= 0 ? state[1] : s[1]);
        }
        return state;
    }

    /// <summary>The hidden size of a graph-built step, which the formulas need known.</summary>
    private static int HiddenOf(Node state)
    {
        var s = state.Shape;
        if (s.IsUnknownRank || s.Rank != 2 || s[1] < 0)
            throw new GradientException($"LstmCell: differentiating needs the hidden size known; '{state.Name}' has shape {s}.");
        return s[1];
    }

    private static Node Block(Node cell, int k, int h) => cell.Slice([k, 0, 0], [1, -1, -1]).Reshape(-1, h);

    private static Node Gate(Node z, int k, int h) => z.Slice([0, k * h], [-1, h]);

    /// <summary><see cref="LstmCellOp"/>'s value from Slice, Sigmoid, Tanh, arithmetic and Concat.</summary>
    public static Node Step(Node xz, Node hz, Node c)
    {
        int h = HiddenOf(c);
        var z = xz + hz;
        var i = Gate(z, 0, h).Sigmoid();
        var f = Gate(z, 1, h).Sigmoid();
        var g = Gate(z, 2, h).Tanh();
        var o = Gate(z, 3, h).Sigmoid();
        var cNext = f * c + i * g;
        var tanhC = cNext.Tanh();
        return Node.Concat([.. new[] { o * tanhC, cNext, i, f, g, o, tanhC }.Select(b => b.Reshape(1, -1, h))], 0);
    }

    /// <summary><see cref="LstmCellGradOp"/>'s value from Slice, arithmetic and Concat.</summary>
    public static Node GatesGrad(Node dh, Node dc, Node cell, Node cPrev)
    {
        var (d, i, f, g, o, t) = Shared(dh, dc, cell);
        return Node.Concat([d * g * i * (1 - i), d * cPrev * f * (1 - f), d * i * (1 - g * g), dh * t * o * (1 - o)], 1);
    }

    /// <summary><see cref="LstmCellStateGradOp"/>'s value from Slice and arithmetic.</summary>
    public static Node CellStateGrad(Node dh, Node dc, Node cell)
    {
        var (d, _, f, _, _, _) = Shared(dh, dc, cell);
        return d * f;
    }

    private static (Node D, Node I, Node F, Node G, Node O, Node TanhC) Shared(Node dh, Node dc, Node cell)
    {
        int h = HiddenOf(dh);
        Node i = Block(cell, 2, h), f = Block(cell, 3, h), g = Block(cell, 4, h), o = Block(cell, 5, h), t = Block(cell, 6, h);
        return (dc + dh * o * (1 - t * t), i, f, g, o, t);
    }

    /// <summary>The tangent of <paramref name="composite"/> (the op's formula) along the inputs that have one.</summary>
    public static Node? Jvp(Node node, Node?[] tangents, Node composite)
    {
        int[] with = [.. Enumerable.Range(0, tangents.Length).Where(k => tangents[k] is not null)];
        if (with.Length == 0) return null;
        return node.Graph.Jvp(composite, [.. with.Select(k => node.Inputs[k])], [.. with.Select(k => tangents[k]!)]);
    }
}

public sealed partial class Node
{
    /// <summary>
    /// One LSTM step's elementwise math (PyTorch's nn.LSTMCell after its matrix products) in one pass: from the gates'
    /// pre-activations z = <paramref name="inputGates"/> + <paramref name="hiddenGates"/>, each [N, 4H] (x·W_ihᵀ + b_ih
    /// and h·W_hhᵀ + b_hh, gates in the order i, f, g, o), and the cell state <paramref name="cellState"/> [N, H], the
    /// step's values [7, N, H] as blocks h', c', i, f, g, o, tanh(c'), where i, f, o = σ(gate), g = tanh(gate),
    /// c' = f⊙c + i⊙g, h' = o⊙tanh(c'). Derivative: that of the formula (σ' = σ(1−σ), tanh' = 1 − tanh², the same for
    /// both parts of z); <see cref="LstmCellGrad"/> and <see cref="LstmCellStateGrad"/> give a reverse step from the
    /// stored values without recomputing them.
    /// </summary>
    public static Node LstmCell(Node inputGates, Node hiddenGates, Node cellState)
    {
        ArgumentNullException.ThrowIfNull(inputGates);
        return inputGates.Graph.Apply(new LstmCellOp(), [inputGates, hiddenGates, cellState]);
    }

    /// <summary>
    /// The gates' pre-activation cotangent dz [N, 4H] of an <see cref="LstmCell"/> step from the cotangents
    /// <paramref name="dh"/> of h' and <paramref name="dc"/> of c' [N, H], the step's values <paramref name="cell"/>
    /// [7, N, H] and the cell state <paramref name="cellState"/> [N, H] it started from: with
    /// d = dc + dh⊙o⊙(1 − tanh²c'), dz = [d⊙g⊙i(1−i), d⊙c⊙f(1−f), d⊙i⊙(1−g²), dh⊙tanh(c')⊙o(1−o)]. Derivative: that of
    /// this formula in each input.
    /// </summary>
    public static Node LstmCellGrad(Node dh, Node dc, Node cell, Node cellState)
    {
        ArgumentNullException.ThrowIfNull(dh);
        return dh.Graph.Apply(new LstmCellGradOp(), [dh, dc, cell, cellState]);
    }

    /// <summary>
    /// The cotangent [N, H] of the cell state an <see cref="LstmCell"/> step started from, (dc + dh⊙o⊙(1 − tanh²c'))⊙f,
    /// from the cotangents <paramref name="dh"/> of h' and <paramref name="dc"/> of c' [N, H] and the step's values
    /// <paramref name="cell"/> [7, N, H]. Derivative: that of this formula in each input.
    /// </summary>
    public static Node LstmCellStateGrad(Node dh, Node dc, Node cell)
    {
        ArgumentNullException.ThrowIfNull(dh);
        return dh.Graph.Apply(new LstmCellStateGradOp(), [dh, dc, cell]);
    }
}
