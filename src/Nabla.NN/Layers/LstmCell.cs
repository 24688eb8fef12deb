namespace Nabla.NN;

/// <summary>The state an LSTM carries from step to step: the hidden state h and the cell state c, each [batch, H].</summary>
/// <param name="H">The hidden state (what the layer outputs).</param>
/// <param name="C">The cell state.</param>
public readonly record struct LstmState(Node H, Node C);

/// <summary>
/// One LSTM step, PyTorch's nn.LSTMCell: with gates stacked in the order i, f, g, o,
/// <code>
/// i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
/// g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
/// c' = f ⊙ c + i ⊙ g                         h' = o ⊙ tanh(c')
/// </code>
/// x [batch, I], h and c [batch, H]. <see cref="Step"/> builds these nodes in x's graph, so it works inside a
/// <see cref="Graph.Scan"/> body once the cell is built outside (<see cref="RecurrentCell.Build(Graph, int, DType)"/>). Applied as a layer,
/// it takes one step from a zero state and returns h'.
/// </summary>
public sealed class LstmCell(int hiddenSize, bool bias = true) : RecurrentCell(hiddenSize, bias)
{
    /// <inheritdoc/>
    public override int Gates => 4;

    /// <summary>The next state after input <paramref name="x"/> [batch, I] from <paramref name="state"/>.</summary>
    public LstmState Step(Node x, LstmState state) => StepProjected(InputProjection(x, withHiddenBias: true), state);

    /// <summary>
    /// The step from the input's projection x·W_ihᵀ + b_ih + b_hh [batch, 4H] (computed for all steps at once by
    /// <see cref="Lstm"/>): one matrix product h·W_hhᵀ and the gates' elementwise math.
    /// </summary>
    internal LstmState StepProjected(Node projected, LstmState state)
    {
        var values = StepValues(projected, state);
        return new LstmState(Block(values, 0), Block(values, 1));
    }

    /// <summary>
    /// The step's values [7, batch, H] (<see cref="Node.LstmCell"/>: blocks h', c', i, f, g, o, tanh(c'), what the
    /// backward step needs) from the projection and the state.
    /// </summary>
    internal Node StepValues(Node projected, LstmState state) =>
        Node.LstmCell(projected, state.H.MatMul(RecurrentWeight, false, true), state.C);

    /// <summary>Block <paramref name="k"/> [batch, H] of a step's values (one row copy).</summary>
    internal static Node Block(Node values, int k) => values.Gather(values.Graph.Scalar(k, DType.Int32));

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var projected = InputProjection(x, withHiddenBias: true);
        var zero = ZeroState(projected);
        return StepProjected(projected, new LstmState(zero, zero)).H;
    }
}
