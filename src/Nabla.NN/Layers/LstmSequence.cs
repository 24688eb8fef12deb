namespace Nabla.NN;

/// <summary>
/// The LSTM run over a whole sequence with cuDNN's reverse mode, as one <see cref="Graph.CustomGradient"/> of the
/// time-major projection [T, N, 4H], W_hh, h₀ and c₀. The forward Scan also stores each step's activated gates,
/// tanh(cₜ) and the state entering it, so the backward recomputes nothing: one reverse Scan turns the cotangents of h
/// into the gates' pre-activation cotangents dzₜ [N, 4H] (elementwise) and dhₜ₋₁ = dzₜ·W_hh (one matrix product a
/// step); then dW_hh = Σₜ dzₜᵀ·hₜ₋₁ is one matrix product of the stacked [T·N, 4H]ᵀ and [T·N, H], and dz stacked is
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
                var s = cell.StepWithGates(step[0], new LstmState(state[0], state[1]));
                return new ScanStep([s.H, s.C], [s.H, s.I, s.F, s.G, s.O, s.TanhC, state[1], state[0]]);
            }, [args[2], args[3]], [args[0]], name: "scan");
            stored = outputs[1..];
            return Node.Concat([carry[0].Reshape(1, -1, h), carry[1].Reshape(1, -1, h), outputs[0]], 0);
        }, (args, _, dy) => Backward(args[1], stored, dy, h), name: "lstm", exact: true);
        var final = new LstmState(packed.Slice([0, 0, 0], [1, -1, -1]).Reshape(-1, h), packed.Slice([1, 0, 0], [1, -1, -1]).Reshape(-1, h));
        return (packed.Slice([2, 0, 0], [-1, -1, -1]), final);
    }

    /// <summary>
    /// The cotangents of the projection, W_hh, h₀ and c₀ from <paramref name="dy"/> (the packed output's) and the
    /// forward's stored i, f, g, o, tanh(c), c₋₁ and h₋₁, each [T, N, H].
    /// </summary>
    private static Node?[] Backward(Node weight, Node[] stored, Node dy, int h)
    {
        var dhFinal = dy.Slice([0, 0, 0], [1, -1, -1]).Reshape(-1, h);
        var dcFinal = dy.Slice([1, 0, 0], [1, -1, -1]).Reshape(-1, h);
        var dhSteps = dy.Slice([2, 0, 0], [-1, -1, -1]);
        var (carry, outputs) = dy.Graph.Scan((state, step) =>
        {
            var (i, f, g, o, tanhC, cPrev) = (step[1], step[2], step[3], step[4], step[5], step[6]);
            var dh = step[0] + state[0];
            var dc = state[1] + dh * o * (1 - tanhC * tanhC);
            var dzI = dc * g * i * (1 - i);
            var dzF = dc * cPrev * f * (1 - f);
            var dzG = dc * i * (1 - g * g);
            var dzO = dh * tanhC * o * (1 - o);
            var dz = Node.Concat([dzI, dzF, dzG, dzO], 1);
            return new ScanStep([dz.MatMul(weight), dc * f], [dz]);
        }, [dhFinal, dcFinal], [dhSteps, .. stored[..6]], reverse: true, name: "scan_grad");
        var dz = outputs[0];
        var dWeight = dz.Reshape(-1, 4 * h).MatMul(stored[6].Reshape(-1, h), true, false);
        return [dz, dWeight, carry[0], carry[1]];
    }
}
