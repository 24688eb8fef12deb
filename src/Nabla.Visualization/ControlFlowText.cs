namespace Nabla.Visualization;

/// <summary>Says in plain words what a control-flow node does and how its gradient is computed, with what a run showed (the taken branch, the steps, the iterations).</summary>
internal static class ControlFlowText
{
    public static string Describe(Annotations a, Node n)
    {
        var info = n.ControlFlow ?? throw new InvalidGraphArgumentException($"'{n.Name}' is {n.OpType}, not a control-flow node (Cond, Scan or WhileLoop).");
        string name = a.Label(n);
        var captured = Enumerable.Range(0, info.ParameterRoles.Count).Where(i => info.ParameterRoles[i].StartsWith("captured ", StringComparison.Ordinal))
            .Select(i => a.Label(n.Inputs[info.FirstArgument + i])).ToArray();
        string captures = captured.Length == 0 ? "" : $" The outer nodes it uses ({string.Join(", ", captured)}) are captured: each is a placeholder inside and an input of {name}, so gradients reach it.";
        switch (info.Construct)
        {
            case "Cond":
            {
                string p = a.Label(n.Inputs[0]);
                string taken = a.Values.TryGetValue(n.Inputs[0], out var v) ? $" (here {p} is {(v.GetFlat(0) != 0 ? "true: the true" : "false: the false")} branch ran)" : "";
                return $"{name} is a Cond: it runs the true branch when {p} is true, else the false branch, and only the taken branch runs{taken}.{captures} " +
                    $"Its gradient is the taken branch's: reverse mode runs a Cond on the same predicate whose branches are the two branches' VJPs, so only the taken branch's VJP runs; no gradient flows into {p}.";
            }
            case "Scan":
            {
                int? steps = ControlFlowScene.Steps(a, n, info);
                string count = steps is { } s ? $"{s} time{(s == 1 ? "" : "s")}" : "once per row of its elements";
                string order = info.Reverse ? "from the last row back to the first" : "from the first row to the last";
                return $"{name} is a Scan: it runs its step {count}, {order}; each step maps (carry, row t of the elements) to (next carry, output row t), " +
                    $"and the Scan returns the final carry and the outputs stacked along a new leading axis.{captures} " +
                    "Its gradient: the forward pass stores the carry entering each step; reverse mode runs a Scan the other way over those stored carries " +
                    "whose step is the step's VJP, taking the gradients of the next carry and of output row t and giving those of the carry, of row t of the elements " +
                    "and of the captured nodes, which it sums over every step in a carry of its own.";
            }
            default:
            {
                string ran = a.IterationCounts.TryGetValue(n, out int i) ? $" (here it ran {i} iteration{(i == 1 ? "" : "s")})" : "";
                string bound = info.MaximumIterations is { } m ? $", at most {m} times" : "";
                string gradient = info.MaximumIterations is { } max
                    ? $"Its gradient: reverse mode runs the loop again, storing the variables entering each iteration in {max} rows, then a reverse Scan over the rows " +
                      "whose step is the body's VJP on the iterations that ran and the identity on the others, summing the captured nodes' gradients over the iterations."
                    : "Reverse mode needs maximumIterations (to store each iteration's variables), so Gradients refuses this loop; forward mode (Jvp) runs the loop together with the body's JVP.";
                return $"{name} is a WhileLoop: it repeats its body while its condition is true{bound}{ran}; each iteration maps the loop variables to their next values, " +
                    $"and the loop returns the final ones.{captures} {gradient}";
            }
        }
    }
}
