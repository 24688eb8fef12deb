namespace Nabla.NN;

/// <summary>
/// The GRU run over a whole sequence with cuDNN's reverse mode, as one <see cref="Graph.CustomGradient"/> of the
/// time-major projection [T, N, 3H], W_hh, b_hh (when the cell has biases) and h₀. The forward Scan also stores each
/// step's activated gates, W_hn h + b_hn and the state entering it, so the backward recomputes nothing: one reverse
/// Scan turns the cotangents of h into those of the projection and of h·W_hhᵀ + b_hh (dsₜ [N, 3H], elementwise) and
/// dhₜ₋₁ = dh ⊙ z + dsₜ·W_hh (one matrix product a step); then dW_hh = Σₜ dsₜᵀ·hₜ₋₁ is one matrix product over all
/// steps and db_hh = Σₜ dsₜ one sum. The backward is built of ordinary ops, so it differentiates again; forward mode
/// differentiates the forward Scan.
/// </summary>
internal static class GruSequence
{
    /// <summary>Every step's h [T, N, H] and the final h, from the projection <paramref name="projected"/> [T, N, 3H] (x·W_ihᵀ + b_ih) and <paramref name="start"/>.</summary>
    public static (Node Outputs, Node Final) Run(GruCell cell, Node projected, Node start)
    {
        int h = cell.HiddenSize;
        bool bias = cell.BiasHh is not null;
        Node[] inputs = bias ? [projected, cell.WeightHh!, cell.BiasHh!, start] : [projected, cell.WeightHh!, start];
        Node[] stored = [];
        // One output: row 0 the final h, rows 1… every step's h, so the final state has a cotangent row when T is unknown.
        var packed = projected.Graph.CustomGradient(inputs, args =>
        {
            var (carry, outputs) = args[0].Graph.Scan((state, step) =>
            {
                var s = cell.StepWithGates(step[0], state[0]);
                return new ScanStep([s.H], [s.H, s.R, s.Z, s.N, s.HiddenN, state[0]]);
            }, [args[^1]], [args[0]], name: "scan");
            stored = outputs[1..];
            return Node.Concat([carry[0].Reshape(1, -1, h), outputs[0]], 0);
        }, (args, _, dy) => Backward(args[1], bias, stored, dy, h), name: "gru", exact: true);
        return (packed.Slice([1, 0, 0], [-1, -1, -1]), packed.Slice([0, 0, 0], [1, -1, -1]).Reshape(-1, h));
    }

    /// <summary>
    /// The cotangents of the projection, W_hh, b_hh (when <paramref name="bias"/>) and h₀ from <paramref name="dy"/>
    /// (the packed output's) and the forward's stored r, z, n, W_hn h + b_hn and h₋₁, each [T, N, H].
    /// </summary>
    private static Node?[] Backward(Node weight, bool bias, Node[] stored, Node dy, int h)
    {
        var dhFinal = dy.Slice([0, 0, 0], [1, -1, -1]).Reshape(-1, h);
        var dhSteps = dy.Slice([1, 0, 0], [-1, -1, -1]);
        var (carry, outputs) = dy.Graph.Scan((state, step) =>
        {
            var (r, z, n, hiddenN, hPrev) = (step[1], step[2], step[3], step[4], step[5]);
            var dh = step[0] + state[0];
            var dnPre = dh * (1 - z) * (1 - n * n);
            var drPre = dnPre * hiddenN * r * (1 - r);
            var dzPre = dh * (hPrev - n) * z * (1 - z);
            var dProjected = Node.Concat([drPre, dzPre, dnPre], 1);
            var dHidden = Node.Concat([drPre, dzPre, dnPre * r], 1);
            return new ScanStep([dh * z + dHidden.MatMul(weight)], [dProjected, dHidden]);
        }, [dhFinal], [dhSteps, .. stored], reverse: true, name: "scan_grad");
        var dHiddens = outputs[1].Reshape(-1, 3 * h);
        var dWeight = dHiddens.MatMul(stored[4].Reshape(-1, h), true, false);
        return bias ? [outputs[0], dWeight, dHiddens.Sum(0), carry[0]] : [outputs[0], dWeight, carry[0]];
    }
}
