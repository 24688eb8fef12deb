namespace Nabla;

/// <summary>A user's reverse-mode rule: one gradient per input (null where none) from the inputs, the output and dy.</summary>
public delegate Node?[] CustomVjp(IReadOnlyList<Node> inputs, Node output, Node dy);

/// <summary>A user's forward-mode rule: the output's tangent (null for zero) from the inputs, the output and the inputs' tangents (null for zero).</summary>
public delegate Node? CustomJvp(IReadOnlyList<Node> inputs, Node output, IReadOnlyList<Node?> tangents);

/// <summary>
/// The output of a function whose derivatives the user gives (as tf.custom_gradient, jax.custom_vjp). Inputs are the
/// function's n arguments and, last, the output its forward function built; the forward copies that value.
/// VJP: the user's rule for the n arguments, nothing into the forward function's own nodes. JVP: the user's rule,
/// or without one the tangent of the forward function's output (forward mode differentiates the forward function).
/// </summary>
internal sealed class CustomGradientOp(string name, CustomVjp vjp, CustomJvp? jvp, bool exact = false) : Op
{
    public override string Type => name;
    public override string? UnsavableReason => "it is a custom gradient: its derivative rules are C# code, which a model file cannot hold";
    /// <summary>An exact rule is the forward function's own derivative, so a file may hold the forward function alone.</summary>
    internal override (Op Op, Node[] Inputs)? SavedForm(Node node) => exact ? (new IdentityOp(), [node.Inputs[^1]]) : null;
    public override string Attributes => JvpRule is null ? "vjp" : "vjp, jvp";
    public CustomJvp? JvpRule { get; } = jvp;
    public override bool SupportsDType(DType dtype) => dtype.IsDefined();
    public override DType InferDType(Node node) => node.Inputs[^1].DType;
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[^1];
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output) => inputs[^1].CopyTo(output);
    public override int ViewedInput(Shape[] inputShapes, Shape output) => inputShapes.Length - 1;

    private static Node[] Arguments(Node node) => node.InputArray[..^1];

    public override Node?[] Vjp(Node node, Node dy)
    {
        var args = Arguments(node);
        var grads = vjp(args, node, dy);
        if (grads is null || grads.Length != args.Length)
            throw new GradientException($"The VJP rule of custom-gradient function {Type} '{node.Name}' returned {grads?.Length ?? 0} gradients for its {args.Length} inputs; return one per input (null where none).");
        return [.. grads, null];
    }

    public override Node? Jvp(Node node, Node?[] tangents) =>
        JvpRule is null ? tangents[^1] : JvpRule(Arguments(node), node, tangents[..^1]);
}

public sealed partial class Graph
{
    /// <summary>
    /// Applies a function with derivatives of your own (as tf.custom_gradient / jax.custom_vjp). <paramref name="forward"/>
    /// builds the output from <paramref name="inputs"/> with ordinary ops; <paramref name="vjp"/> builds one gradient per
    /// input from the inputs, the output and dy (with graph ops, so it can be differentiated again). No gradient flows
    /// through the forward function's own nodes, nor into nodes it captures that are not among the inputs: pass those as
    /// inputs. Forward mode uses <paramref name="jvp"/>, or without it differentiates <paramref name="forward"/> through
    /// its ops' own JVP rules. Set <paramref name="exact"/> when the rules are the forward function's own derivatives,
    /// only computed another way (faster, say): a model file then saves the function as its forward function alone, and
    /// a graph loaded from it differentiates that function; otherwise a graph holding the function cannot be saved.
    /// </summary>
    public Node CustomGradient(Node[] inputs, Func<Node[], Node> forward, CustomVjp vjp, CustomJvp? jvp = null, string name = "CustomGradient", bool exact = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(vjp);
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/'))
            throw new InvalidGraphArgumentException($"CustomGradient: the name '{name}' must be non-empty and contain no '/'.");
        Node output;
        using (NameScope(name))
            output = forward((Node[])inputs.Clone());
        if (output is null || output.Graph != this)
            throw new InvalidGraphArgumentException($"CustomGradient '{name}': the forward function must return a node of this graph.");
        return Apply(new CustomGradientOp(name, vjp, jvp, exact), [.. inputs, output], name);
    }
}
