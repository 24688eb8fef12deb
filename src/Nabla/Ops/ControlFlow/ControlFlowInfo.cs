namespace Nabla;

/// <summary>One function a control-flow node runs, with its role: "true branch", "false branch", "step", "condition" or "body".</summary>
/// <param name="Role">What the function does for the construct.</param>
/// <param name="Body">The function's subgraph.</param>
public sealed record BodyFunction(string Role, FunctionBody Body);

/// <summary>
/// What a control-flow node (Cond, Scan, WhileLoop) runs and how its inputs and results map onto its functions, for
/// tools that draw or describe it. Input <see cref="FirstArgument"/> + i of the node feeds parameter i of every
/// function (a Scan feeds row t of its elements).
/// </summary>
public sealed record ControlFlowInfo
{
    /// <summary>"Cond", "Scan" or "WhileLoop".</summary>
    public required string Construct { get; init; }

    /// <summary>The functions it runs, in order: Cond's true and false branch, Scan's step, WhileLoop's condition and body.</summary>
    public required IReadOnlyList<BodyFunction> Functions { get; init; }

    /// <summary>The node input that feeds parameter 0 (1 for Cond, whose input 0 is the predicate; else 0).</summary>
    public required int FirstArgument { get; init; }

    /// <summary>What each parameter stands for: "carry 0", "element 0", "variable 0" or "captured x" (an outer node used inside).</summary>
    public required IReadOnlyList<string> ParameterRoles { get; init; }

    /// <summary>What each result of the last function is: "result 0" (Cond), "next carry 0" and "output 0" (Scan), "next variable 0" (WhileLoop).</summary>
    public required IReadOnlyList<string> ResultRoles { get; init; }

    /// <summary>What each result of the node is, in order: "result 0", "final carry 0", "outputs 0 stacked", "final variable 0", and those kept for reverse mode.</summary>
    public required IReadOnlyList<string> NodeResultRoles { get; init; }

    /// <summary>Results of the last function passed back as a parameter of the next step or iteration: (result index, parameter index).</summary>
    public IReadOnlyList<(int Result, int Parameter)> Carried { get; init; } = [];

    /// <summary>Scan: the number of steps when the shapes give it; null when known only at run time, and for the others.</summary>
    public int? Steps { get; init; }

    /// <summary>Scan: whether the steps run t = T−1 … 0.</summary>
    public bool Reverse { get; init; }

    /// <summary>WhileLoop: the bound on its iterations, when given.</summary>
    public int? MaximumIterations { get; init; }

    /// <summary>Which result of a control-flow node <paramref name="node"/> takes out (a "Result" node), or null for any other node.</summary>
    public static int? ResultIndex(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Op is CallResultOp r && node.Inputs[0].Op is ControlFlowOp ? r.Index : null;
    }
}

public sealed partial class Node
{
    /// <summary>What this node runs when it is a control-flow node (Cond, Scan, WhileLoop); null for any other node.</summary>
    public ControlFlowInfo? ControlFlow => Op is ControlFlowOp c ? c.Describe(this) : null;
}
