namespace Nabla.NN;

/// <summary>
/// A long short-term memory layer, PyTorch's nn.LSTM with <c>batch_first=True</c> (one layer, one direction): the
/// <see cref="LstmCell"/> equations stepped along the time axis of x [batch, time, I] from (h₀, c₀) (zeros unless given),
/// with the same gate order (i, f, g, o), parameter layout and initialization. The output is every step's h
/// [batch, time, H], or with <c>returnSequences: false</c> the last one [batch, H]; <see cref="Forward"/> also gives
/// the final (h, c). The input projection x·W_ihᵀ + b_ih + b_hh of all steps is one matrix product before a
/// <see cref="Graph.Scan"/> whose step does h·W_hhᵀ and the gates' elementwise math. Gradients go through the Scan:
/// reverse mode walks the steps backwards over the states the forward pass stored.
/// </summary>
public sealed class Lstm(int hiddenSize, bool returnSequences = true, bool bias = true) : RecurrentLayer(new LstmCell(hiddenSize, bias), returnSequences)
{
    private LstmState? _initial;

    /// <summary>The LSTM cell (its <see cref="RecurrentCell.WeightIh"/> and the rest are the layer's variables).</summary>
    public new LstmCell Cell => (LstmCell)base.Cell;

    /// <summary>The final (h, c) [batch, H] of the last application; null before the first.</summary>
    public LstmState? FinalState { get; private set; }

    /// <summary>
    /// The output for x [batch, time, I] from <paramref name="initial"/> (zeros when null) and the final (h, c), as
    /// PyTorch's <c>output, (h_n, c_n) = lstm(x, (h_0, c_0))</c> (states here are [batch, H], without the layer axis).
    /// </summary>
    public (Node Output, LstmState State) Forward(Node x, LstmState? initial = null, bool training = false)
    {
        _initial = initial;
        try
        {
            var output = Apply(x, training);
            return (output, FinalState!.Value);
        }
        finally
        {
            _initial = null;
        }
    }

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var projected = ProjectTimeMajor(x, withHiddenBias: true);
        LstmState start;
        if (_initial is { } given)
        {
            CheckState(given.H, "h", x);
            CheckState(given.C, "c", x);
            start = given;
        }
        else
        {
            var zero = Cell.ZeroState(projected);
            start = new LstmState(zero, zero);
        }
        var cell = Cell;
        var (carry, outputs) = x.Graph.Scan((state, step) =>
        {
            var next = cell.StepProjected(step[0], new LstmState(state[0], state[1]));
            return new ScanStep([next.H, next.C], [next.H]);
        }, [start.H, start.C], [projected], name: "scan");
        FinalState = new LstmState(carry[0], carry[1]);
        return Output(outputs[0], carry[0]);
    }
}
