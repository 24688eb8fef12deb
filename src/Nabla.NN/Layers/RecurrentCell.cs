namespace Nabla.NN;

/// <summary>
/// What the recurrent cells share: PyTorch's parameter layout for a cell of <see cref="Gates"/> gates, input size I and
/// hidden size H — weight_ih [gates·H, I], weight_hh [gates·H, H], bias_ih and bias_hh [gates·H], every one drawn from
/// U(−1/√H, 1/√H) — and the input projection x·W_ihᵀ + b_ih (+ b_hh where the cell folds it in).
/// The variables live in the graph given to <see cref="Build(Graph, int, DType)"/> (or the input's graph on the first
/// <see cref="Layer.Apply"/>), so a cell built outside a <see cref="Graph.Scan"/> can step inside its body.
/// </summary>
public abstract class RecurrentCell : Layer
{
    /// <summary>A cell of <paramref name="hiddenSize"/> units, with both biases unless <paramref name="bias"/> is false.</summary>
    protected RecurrentCell(int hiddenSize, bool bias)
    {
        if (hiddenSize <= 0) throw new InvalidGraphArgumentException($"{GetType().Name}: the hidden size must be positive, got {hiddenSize}.");
        HiddenSize = hiddenSize;
        HasBias = bias;
    }

    /// <summary>The number of gates whose rows weight_ih and weight_hh stack (LSTM 4: i, f, g, o; GRU 3: r, z, n).</summary>
    public abstract int Gates { get; }
    /// <summary>H, the width of the hidden state.</summary>
    public int HiddenSize { get; }
    /// <summary>Whether the cell has bias_ih and bias_hh.</summary>
    public bool HasBias { get; }
    /// <summary>I, the width of the input; 0 until the cell is built.</summary>
    public int InputSize { get; private set; }
    /// <summary>W_ih [gates·H, I], the gates' input weights stacked in gate order; null until the cell is built.</summary>
    public Node? WeightIh { get; private set; }
    /// <summary>W_hh [gates·H, H], the gates' recurrent weights stacked in gate order; null until the cell is built.</summary>
    public Node? WeightHh { get; private set; }
    /// <summary>b_ih [gates·H]; null until the cell is built or when it has no bias.</summary>
    public Node? BiasIh { get; private set; }
    /// <summary>b_hh [gates·H]; null until the cell is built or when it has no bias.</summary>
    public Node? BiasHh { get; private set; }

    /// <inheritdoc/>
    protected override string Settings => $"input={InputSize}, hidden={HiddenSize}{(HasBias ? "" : ", bias=false")}";

    /// <summary>
    /// Creates the cell's variables in <paramref name="graph"/> for inputs of width <paramref name="inputSize"/>, under
    /// the cell's name scope; call it before stepping the cell inside a <see cref="Graph.Scan"/> body. Building again
    /// with the same sizes does nothing.
    /// </summary>
    public RecurrentCell Build(Graph graph, int inputSize, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(graph);
        using (graph.NameScope(Name ?? GetType().Name.ToLowerInvariant()))
            CreateVariables(graph, inputSize, dtype);
        return this;
    }

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        if (x.Shape.Rank != 2 || x.Shape[1] < 0)
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the input '{x.Name}' has shape {x.Shape}; one step takes [batch, features] with the features known.");
        CreateVariables(x.Graph, x.Shape[1], x.DType);
    }

    /// <summary>Creates the variables in the current name scope of <paramref name="graph"/> (a layer that owns the cell calls this in its own scope).</summary>
    internal void CreateVariables(Graph graph, int inputSize, DType dtype)
    {
        if (inputSize <= 0) throw new InvalidGraphArgumentException($"{GetType().Name} '{Name}': the input size must be positive, got {inputSize}.");
        if (WeightIh is not null)
        {
            if (WeightIh.Graph != graph || inputSize != InputSize || WeightIh.DType != dtype)
                throw new InvalidGraphArgumentException(WeightIh.Graph != graph
                    ? $"{GetType().Name} '{Name}' was built in another graph; build a new cell for this one."
                    : $"{GetType().Name} '{Name}' was built for {InputSize} {WeightIh.DType.Name()} inputs, not {inputSize} {dtype.Name()}; build a new cell for those.");
            return;
        }
        if (!dtype.IsFloatingPoint()) throw new DTypeMismatchException($"{GetType().Name} '{Name}': the input is {dtype.Name()}; recurrent cells take float32 or float64.");
        InputSize = inputSize;
        int rows = Gates * HiddenSize;
        double bound = 1 / Math.Sqrt(HiddenSize);
        Tensor Uniform(Shape shape, int salt) => Tensor.RandomUniform(shape, unchecked(Seed * 7919 + salt), -bound, bound, dtype);
        WeightIh = AddVariable(graph, "weight_ih", Uniform(new Shape(rows, inputSize), 1));
        WeightHh = AddVariable(graph, "weight_hh", Uniform(new Shape(rows, HiddenSize), 2));
        if (HasBias)
        {
            BiasIh = AddVariable(graph, "bias_ih", Uniform(new Shape(rows), 3));
            BiasHh = AddVariable(graph, "bias_hh", Uniform(new Shape(rows), 4));
        }
    }

    /// <summary>The variables, or a clear error when the cell has not been built.</summary>
    private protected Node RecurrentWeight => WeightHh ?? throw NotBuilt();

    private InvalidGraphArgumentException NotBuilt() =>
        new($"{GetType().Name} '{Name}' has no variables yet; call Build(graph, inputSize) outside the Scan (or Apply it once) before stepping it.");

    /// <summary>
    /// x·W_ihᵀ + b_ih (plus b_hh when <paramref name="withHiddenBias"/>) along the last axis of x [..., I]: one matrix
    /// product over all leading axes (all time steps at once, as cuDNN does), giving [..., gates·H].
    /// </summary>
    internal Node InputProjection(Node x, bool withHiddenBias)
    {
        var w = WeightIh ?? throw NotBuilt();
        if (x.Shape.IsUnknownRank || x.Shape.Rank < 2 || x.Shape[-1] != InputSize)
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the input '{x.Name}' has shape {x.Shape}; its last axis must be the {InputSize} input features the cell was built for.");
        int rows = Gates * HiddenSize;
        int[] leading = x.Shape.Dims[..^1];
        Node y = leading.Length == 1 ? x.MatMul(w, false, true)
            : leading.Count(d => d < 0) <= 1 ? x.Reshape(-1, InputSize).MatMul(w, false, true).Reshape([.. leading, rows])
            : x.MatMul(w, false, true); // several unknown leading axes: a batched product with W broadcast
        if (BiasIh is not null) y += withHiddenBias ? BiasIh + BiasHh! : BiasIh;
        return y;
    }

    /// <summary>Columns [gate·H, (gate + 1)·H) of <paramref name="gates"/> [batch, gates·H]: one gate's pre-activation.</summary>
    private protected Node Gate(Node gates, int gate) => gates.Slice([0, gate * HiddenSize], [-1, HiddenSize]);

    /// <summary>A zero state [batch, H] with the batch size of a projection <paramref name="projected"/> [..., batch, gates·H].</summary>
    internal Node ZeroState(Node projected)
    {
        int rank = projected.Shape.Rank;
        var size = Enumerable.Repeat(1, rank).ToArray();
        size[rank - 2] = -1;
        size[rank - 1] = HiddenSize;
        return projected.Slice(new int[rank], size).Reshape(-1, HiddenSize).ZerosLike();
    }
}
