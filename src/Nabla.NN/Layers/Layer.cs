namespace Nabla.NN;

/// <summary>
/// A building block that turns an input node into an output node and owns the variables it needs.
/// Variables are created on the first <see cref="Apply"/> (when the input's shape is known) under the
/// layer's name scope, e.g. "dense0/kernel"; later applications (say, one for training and one for
/// inference) share them.
/// </summary>
public abstract class Layer
{
    private readonly List<Node> _variables = [];
    private readonly List<Node> _trainable = [];
    private readonly List<Node> _updates = [];
    private Graph? _graph;

    /// <summary>The name scope of the layer's nodes; a <see cref="Sequential"/> sets one when none is given.</summary>
    public string? Name { get; set; }

    /// <summary>The seed of the layer's initializers (and of dropout); a <see cref="Sequential"/> derives one from its own.</summary>
    public int Seed { get; set; }

    /// <summary>The shape of the layer's output the last time it was applied; null before the first <see cref="Apply"/>.</summary>
    public Shape? OutputShape { get; private set; }

    /// <summary>How many numbers the layer's variables hold (trainable or not); 0 before the first <see cref="Apply"/>.</summary>
    public long ParameterCount => Variables.Sum(v => (long)v.Shape.Size);

    /// <summary>How many of <see cref="ParameterCount"/> an optimizer updates.</summary>
    public long TrainableParameterCount => TrainableVariables.Sum(v => (long)v.Shape.Size);

    /// <summary>The layer's type and settings, PyTorch style: "Dense(units=256, activation=Relu)".</summary>
    public override string ToString() => $"{GetType().Name}({Settings})";

    /// <summary>The settings <see cref="ToString"/> lists, "name=value" separated by commas; empty when there are none.</summary>
    protected virtual string Settings => "";

    /// <summary>How an activation prints: its method's name ("Relu"), "none", or "custom" for a lambda.</summary>
    protected static string ActivationName(Func<Node, Node>? activation) =>
        activation is null ? "none" : activation.Method.Name.Contains('<') ? "custom" : activation.Method.Name;

    /// <summary>Every variable of the layer, trainable or not, in creation order (what a checkpoint saves).</summary>
    public virtual IReadOnlyList<Node> Variables => _variables;

    /// <summary>The variables an optimizer should update.</summary>
    public virtual IReadOnlyList<Node> TrainableVariables => _trainable;

    /// <summary>State updates built by training-mode applications (batch-norm moving averages), to run with each training step.</summary>
    public virtual IReadOnlyList<Node> UpdateOps => _updates;

    /// <summary>The output for <paramref name="x"/>; in training mode, dropout drops and batch norm uses batch statistics.</summary>
    public Node Apply(Node x, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (_graph is not null && _graph != x.Graph)
            throw new InvalidGraphArgumentException($"Layer '{Name}' was built in another graph; build a new layer for '{x.Name}'.");
        using (x.Graph.NameScope(Name ?? GetType().Name.ToLowerInvariant()))
        {
            if (_graph is null)
            {
                _graph = x.Graph;
                Build(x);
            }
            var y = Call(x, training);
            OutputShape = y.Shape;
            return y;
        }
    }

    /// <summary>Creates the layer's variables for an input like <paramref name="x"/>.</summary>
    protected virtual void Build(Node x) { }

    /// <summary>Builds the output nodes.</summary>
    protected abstract Node Call(Node x, bool training);

    /// <summary>Creates a variable of this layer in the graph being built.</summary>
    protected Node AddVariable(Node like, string name, Tensor initialValue, bool trainable = true)
    {
        var v = like.Graph.Variable(name, initialValue.DType == like.DType ? initialValue : initialValue.Cast(like.DType));
        _variables.Add(v);
        if (trainable) _trainable.Add(v);
        return v;
    }

    /// <summary>Records a state update to run with each training step.</summary>
    protected void AddUpdate(Node update) => _updates.Add(update);

    /// <summary>The size of axis <paramref name="axis"/> of <paramref name="x"/>, which must be known to build the layer.</summary>
    protected int KnownDim(Node x, int axis, int rank)
    {
        if (x.Shape.Rank != rank || x.Shape[axis] < 0)
            throw new ShapeMismatchException($"{GetType().Name} '{Name}': the input '{x.Name}' has shape {x.Shape}; it needs rank {rank} with axis {axis} known.");
        return x.Shape[axis];
    }
}
