namespace Nabla.NN;

/// <summary>
/// The LSTM run over a whole sequence with cuDNN's reverse mode, as one <see cref="Graph.CustomGradient"/> of the
/// time-major projection [T, N, 4H], W_hh, h₀ and c₀. Each forward step is one matrix product and one
/// <see cref="Node.LstmCell"/>, whose values (h, c, the activated gates, tanh(cₜ)) the Scan stores with the state
/// entering the step, so the backward recomputes nothing: one reverse Scan turns the cotangents of h into the gates'
/// pre-activation cotangents dzₜ [N, 4H] and dcₜ₋₁ (<see cref="Node.LstmCellGrad"/>,
/// <see cref="Node.LstmCellStateGrad"/>) and dhₜ₋₁ = dzₜ·W_hh (one matrix product a step); then dW_hh = Σₜ dzₜᵀ·hₜ₋₁ is one matrix product of the stacked [T·N, 4H]ᵀ and [T·N, H], and dz stacked is
/// the projection's cotangent. The backward is built of ordinary ops, so it differentiates again; forward mode
/// differentiates the forward Scan.
/// </summary>
internal static class LstmSequence
{
    /// <summary>
    /// Every step's h [T, N, H] and the final (h, c), from the projection <paramref name="projected"/> [T, N, 4H]
    /// (x·W_ihᵀ + biases) and <paramref name="start"/>.
    /// </summary>
    public static (Node Outputs, LstmState Final) Run(LstmCell cell, Node projected, LstmState start)
    {
        int h = cell.HiddenSize;
        var weight = cell.WeightHh!;
        Node[] stored = [];
        // One output: rows 0 and 1 the final h and c, rows 2… every step's h, so the final state also has a cotangent
        // row when T is unknown.
        var packed = projected.Graph.CustomGradient([projected, weight, start.H, start.C], args =>
        {
            var (carry, outputs) = args[0].Graph.Scan((state, step) =>
            {
                var values = cell.StepValues(step[0], new LstmState(state[0], state[1]));
                var next = new LstmState(LstmCell.Block(values, 0), LstmCell.Block(values, 1));
                return new ScanStep([next.H, next.C], [next.H, values, state[1], state[0]]);
            }, [args[2], args[3]], [args[0]], name: "scan");
            stored = outputs[1..];
            return Node.Concat([carry[0].Reshape(1, -1, h), carry[1].Reshape(1, -1, h), outputs[0]], 0);
        }, (args, _, dy) => Backward(args[1], stored, dy, h), name: "lstm", exact: true);
        var final = new LstmState(packed.Slice([0, 0, 0], [1, -1, -1]).Reshape(-1, h), packed.Slice([1, 0, 0], [1, -1, -1]).Reshape(-1, h));
        return (packed.Slice([2, 0, 0], [-1, -1, -1]), final);
    }

    /// <summary>
    /// The cotangents of the projection, W_hh, h₀ and c₀ from <paramref name="dy"/> (the packed output's) and the
    /// forward's stored step values [T, 7, N, H], c₋₁ and h₋₁ [T, N, H].
    /// </summary>
    private static Node?[] Backward(Node weight, Node[] stored, Node dy, int h)
    {
        var dhFinal = dy.Slice([0, 0, 0], [1, -1, -1]).Reshape(-1, h);
        var dcFinal = dy.Slice([1, 0, 0], [1, -1, -1]).Reshape(-1, h);
        var dhSteps = dy.Slice([2, 0, 0], [-1, -1, -1]);
        var (carry, outputs) = dy.Graph.Scan((state, step) =>
        {
            var (values, cPrev) = (step[1], step[2]);
            var dh = step[0] + state[0];
            var dz = Node.LstmCellGrad(dh, state[1], values, cPrev);
            return new ScanStep([dz.MatMul(weight), Node.LstmCellStateGrad(dh, state[1], values)], [dz]);
        }, [dhFinal, dcFinal], [dhSteps, stored[0], stored[1]], reverse: true, name: "scan_grad");
        var dz = outputs[0];
        var dWeight = dz.Reshape(-1, 4 * h).MatMul(stored[2].Reshape(-1, h), true, false);
        return [dz, dWeight, carry[0], carry[1]];
    }
}
