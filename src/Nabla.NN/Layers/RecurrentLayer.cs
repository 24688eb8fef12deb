namespace Nabla.NN;

/// <summary>
/// What <see cref="Lstm"/> and <see cref="Gru"/> share: a batch-first sequence [batch, time, features] checked and
/// turned time-major, its input projection for every step as one matrix product, and the stacked outputs turned
/// back to [batch, time, H].
/// </summary>
public abstract class RecurrentLayer : Layer
{
    /// <summary>A layer of <paramref name="cell"/> run along the time axis.</summary>
    private protected RecurrentLayer(RecurrentCell cell, bool returnSequences)
    {
        Cell = cell;
        ReturnSequences = returnSequences;
    }

    /// <summary>The cell stepped at each time step; its variables are the layer's.</summary>
    public RecurrentCell Cell { get; }
    /// <summary>H, the width of the hidden state and of the output.</summary>
    public int HiddenSize => Cell.HiddenSize;
    /// <summary>True: the output is every step's hidden state [batch, time, H]; false: the last one [batch, H].</summary>
    public bool ReturnSequences { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Node> Variables => Cell.Variables;
    /// <inheritdoc/>
    public override IReadOnlyList<Node> TrainableVariables => Cell.TrainableVariables;

    /// <inheritdoc/>
    protected override string Settings => $"input={Cell.InputSize}, hidden={HiddenSize}, return_sequences={(ReturnSequences ? "true" : "false")}{(Cell.HasBias ? "" : ", bias=false")}";

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        CheckInput(x);
        Cell.Seed = Seed;
        Cell.Name = Name;
        Cell.CreateVariables(x.Graph, x.Shape[2], x.DType);
    }

    /// <summary>The input's projection x·W_ihᵀ (+ biases) for every step, time-major: [time, batch, gates·H].</summary>
    private protected Node ProjectTimeMajor(Node x, bool withHiddenBias)
    {
        CheckInput(x);
        return Cell.InputProjection(x.Transpose(1, 0, 2), withHiddenBias);
    }

    /// <summary>The stacked hidden states [time, batch, H] as the layer's output.</summary>
    private protected Node Output(Node stacked, Node last) => ReturnSequences ? stacked.Transpose(1, 0, 2) : last;

    /// <summary>Checks that an initial state <paramref name="state"/> is [batch, H] of the input's dtype.</summary>
    private protected void CheckState(Node state, string what, Node x)
    {
        if (state.DType != x.DType)
            throw new DTypeMismatchException($"{GetType().Name} '{Name}': the initial {what} '{state.Name}' is {state.DType.Name()} but the input '{x.Name}' is {x.DType.Name()}.");
        var s = state.Shape;
        if (s.IsUnknownRank || s.Rank != 2 || (s[1] >= 0 && s[1] != HiddenSize) || (s[0] >= 0 && x.Shape[0] >= 0 && s[0] != x.Shape[0]))
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the initial {what} '{state.Name}' has shape {s}; it needs [batch, {HiddenSize}] for the input '{x.Name}' {x.Shape}.");
    }

    private void CheckInput(Node x)
    {
        var s = x.Shape;
        if (s.IsUnknownRank || s.Rank != 3 || s[2] < 0)
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the input '{x.Name}' has shape {s}; it needs [batch, time, features] (batch first) with the features known.");
        if (s[1] == 0)
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the input '{x.Name}' {s} has no time steps; give it at least one.");
        if (Cell.WeightIh is not null && s[2] != Cell.InputSize)
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the input '{x.Name}' {s} has {s[2]} features but the layer was built for {Cell.InputSize}.");
    }
}
