namespace Nabla.NN;

/// <summary>One GRU step's activated gates r, z, n, its W_hn h + b_hn and its new hidden state h.</summary>
internal readonly record struct GruGates(Node R, Node Z, Node N, Node HiddenN, Node H);

/// <summary>
/// One GRU step, PyTorch's nn.GRUCell: with gates stacked in the order r, z, n,
/// <code>
/// r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
/// h' = (1 − z) ⊙ n + z ⊙ h
/// </code>
/// (b_hn stays inside the product with r, as in PyTorch and cuDNN). x [batch, I], h [batch, H]. <see cref="Step"/>
/// builds these nodes in x's graph, so it works inside a <see cref="Graph.Scan"/> body once the cell is built outside
/// (<see cref="RecurrentCell.Build(Graph, int, DType)"/>). Applied as a layer, it takes one step from a zero state and returns h'.
/// </summary>
public sealed class GruCell(int hiddenSize, bool bias = true) : RecurrentCell(hiddenSize, bias)
{
    /// <inheritdoc/>
    public override int Gates => 3;

    /// <summary>The next hidden state after input <paramref name="x"/> [batch, I] from <paramref name="h"/> [batch, H].</summary>
    public Node Step(Node x, Node h) => StepProjected(InputProjection(x, withHiddenBias: false), h);

    /// <summary>
    /// The step from the input's projection x·W_ihᵀ + b_ih [batch, 3H] (computed for all steps at once by
    /// <see cref="Gru"/>): one matrix product h·W_hhᵀ + b_hh and the gates' elementwise math.
    /// </summary>
    internal Node StepProjected(Node projected, Node h) => StepWithGates(projected, h).H;

    /// <summary><see cref="StepProjected"/> with the activated gates and W_hn h + b_hn it computes on the way (what the backward step needs).</summary>
    internal GruGates StepWithGates(Node projected, Node h)
    {
        var hidden = h.MatMul(RecurrentWeight, false, true);
        if (BiasHh is not null) hidden += BiasHh;
        var r = (Gate(projected, 0) + Gate(hidden, 0)).Sigmoid();
        var z = (Gate(projected, 1) + Gate(hidden, 1)).Sigmoid();
        var hiddenN = Gate(hidden, 2);
        var n = (Gate(projected, 2) + r * hiddenN).Tanh();
        return new GruGates(r, z, n, hiddenN, n + z * (h - n)); // (1 − z) ⊙ n + z ⊙ h
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var projected = InputProjection(x, withHiddenBias: false);
        return StepProjected(projected, ZeroState(projected));
    }
}
