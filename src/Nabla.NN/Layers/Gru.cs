namespace Nabla.NN;

/// <summary>
/// A gated recurrent unit layer, PyTorch's nn.GRU with <c>batch_first=True</c> (one layer, one direction): the
/// <see cref="GruCell"/> equations stepped along the time axis of x [batch, time, I] from h₀ (zeros unless given), with
/// the same gate order (r, z, n), parameter layout (b_hn inside r ⊙ (W_hn h + b_hn)) and initialization. The output
/// is every step's h [batch, time, H], or with <c>returnSequences: false</c> the last one [batch, H];
/// <see cref="Forward"/> also gives the final h. The input projection x·W_ihᵀ + b_ih of all steps is one matrix
/// product before a <see cref="Graph.Scan"/> whose step does h·W_hhᵀ + b_hh and the gates' elementwise math. Reverse mode is cuDNN's: the
/// forward Scan stores every step's gates, one reverse Scan takes each step's gate cotangents back through W_hh, and
/// the gradients of W_hh and b_hh are one matrix product and one sum over all steps; forward mode differentiates the
/// forward Scan.
/// </summary>
public sealed class Gru(int hiddenSize, bool returnSequences = true, bool bias = true) : RecurrentLayer(new GruCell(hiddenSize, bias), returnSequences)
{
    private Node? _initial;

    /// <summary>The GRU cell (its <see cref="RecurrentCell.WeightIh"/> and the rest are the layer's variables).</summary>
    public new GruCell Cell => (GruCell)base.Cell;

    /// <summary>The final h [batch, H] of the last application; null before the first.</summary>
    public Node? FinalState { get; private set; }

    /// <summary>
    /// The output for x [batch, time, I] from <paramref name="initial"/> [batch, H] (zeros when null) and the final h,
    /// as PyTorch's <c>output, h_n = gru(x, h_0)</c> (states here are [batch, H], without the layer axis).
    /// </summary>
    public (Node Output, Node State) Forward(Node x, Node? initial = null, bool training = false)
    {
        _initial = initial;
        try
        {
            var output = Apply(x, training);
            return (output, FinalState!);
        }
        finally
        {
            _initial = null;
        }
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var projected = ProjectTimeMajor(x, withHiddenBias: false);
        Node start;
        if (_initial is { } given)
        {
            CheckState(given, "h", x);
            start = given;
        }
        else start = Cell.ZeroState(projected);
        var (outputs, final) = GruSequence.Run(Cell, projected, start);
        FinalState = final;
        return Output(outputs, final);
    }
}
