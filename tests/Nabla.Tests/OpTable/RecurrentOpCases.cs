using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>The op table rows for the fused LSTM step and its reverse ops, with naive references in <see cref="RecurrentReference"/>.</summary>
internal static class RecurrentOpCases
{
    private static Input In(params int[] dims) => new(new Shape(dims), S.Normal);

    public static IEnumerable<OpCase> All()
    {
        yield return new("LstmCell batch 2 hidden 3", typeof(LstmCellOp), [In(2, 12), In(2, 12), In(2, 3)],
            c => Node.LstmCell(c.X[0], c.X[1], c.X[2]), x => RecurrentReference.LstmCell(x[0], x[1], x[2]));
        yield return new("LstmCell batch 1 hidden 5", typeof(LstmCellOp), [In(1, 20), In(1, 20), In(1, 5)],
            c => Node.LstmCell(c.X[0], c.X[1], c.X[2]), x => RecurrentReference.LstmCell(x[0], x[1], x[2]));
        yield return new("LstmCellGrad batch 2 hidden 3", typeof(LstmCellGradOp), [In(2, 3), In(2, 3), In(7, 2, 3), In(2, 3)],
            c => Node.LstmCellGrad(c.X[0], c.X[1], c.X[2], c.X[3]), x => RecurrentReference.LstmCellGrad(x[0], x[1], x[2], x[3]));
        yield return new("LstmCellStateGrad batch 2 hidden 3", typeof(LstmCellStateGradOp), [In(2, 3), In(2, 3), In(7, 2, 3)],
            c => Node.LstmCellStateGrad(c.X[0], c.X[1], c.X[2]), x => RecurrentReference.LstmCellStateGrad(x[0], x[1], x[2]));
        // Rows of whole vectors (float32's one-pass kernel), with pre-activations wide enough to saturate the gates.
        Input wide = new(new Shape(2, 64), (r, n) => [.. S.Normal(r, n).Select(v => 8 * v)]);
        yield return new("LstmCell batch 2 hidden 16", typeof(LstmCellOp), [wide, wide, In(2, 16)],
            c => Node.LstmCell(c.X[0], c.X[1], c.X[2]), x => RecurrentReference.LstmCell(x[0], x[1], x[2]));
        // Rows wider than a vector with a remainder: the kernels' vector loops and their scalar tails.
        yield return new("LstmCell batch 2 hidden 11", typeof(LstmCellOp), [In(2, 44), In(2, 44), In(2, 11)],
            c => Node.LstmCell(c.X[0], c.X[1], c.X[2]), x => RecurrentReference.LstmCell(x[0], x[1], x[2]));
        yield return new("LstmCellGrad batch 3 hidden 11", typeof(LstmCellGradOp), [In(3, 11), In(3, 11), In(7, 3, 11), In(3, 11)],
            c => Node.LstmCellGrad(c.X[0], c.X[1], c.X[2], c.X[3]), x => RecurrentReference.LstmCellGrad(x[0], x[1], x[2], x[3]));
        yield return new("LstmCellStateGrad batch 3 hidden 11", typeof(LstmCellStateGradOp), [In(3, 11), In(3, 11), In(7, 3, 11)],
            c => Node.LstmCellStateGrad(c.X[0], c.X[1], c.X[2]), x => RecurrentReference.LstmCellStateGrad(x[0], x[1], x[2]));
    }
}

/// <summary>Naive references for the LSTM step ops: loops over (row, unit) in float64, the step's values indexed [block, row, unit].</summary>
internal static class RecurrentReference
{
    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    /// <summary>Blocks h', c', i, f, g, o, tanh(c') of PyTorch's LSTMCell equations from z = zx + zh [N, 4H] and c [N, H].</summary>
    public static Tensor LstmCell(Tensor zx, Tensor zh, Tensor c)
    {
        int n = c.Shape[0], h = c.Shape[1];
        var y = New(new Shape(7, n, h));
        double Z(int k) => zx.GetFlat(k) + zh.GetFlat(k);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < h; j++)
            {
                double i = Sigmoid(Z(r * 4 * h + j)), f = Sigmoid(Z(r * 4 * h + h + j));
                double g = Math.Tanh(Z(r * 4 * h + 2 * h + j)), o = Sigmoid(Z(r * 4 * h + 3 * h + j));
                double cNext = f * c.GetFlat(r * h + j) + i * g;
                double[] blocks = [o * Math.Tanh(cNext), cNext, i, f, g, o, Math.Tanh(cNext)];
                for (int k = 0; k < 7; k++) y.SetFlat((k * n + r) * h + j, blocks[k]);
            }
        return y;
    }

    /// <summary>∂L/∂z of one step, by the chain rule through c' and h', from dh, dc, the step's values and c.</summary>
    public static Tensor LstmCellGrad(Tensor dh, Tensor dc, Tensor cell, Tensor cPrev)
    {
        int n = dh.Shape[0], h = dh.Shape[1];
        var dz = New(new Shape(n, 4 * h));
        for (int r = 0; r < n; r++)
            for (int j = 0; j < h; j++)
            {
                double V(int k) => cell.GetFlat((k * n + r) * h + j);
                double i = V(2), f = V(3), g = V(4), o = V(5), t = V(6), dH = dh.GetFlat(r * h + j);
                double dcTotal = dc.GetFlat(r * h + j) + dH * o * (1 - t * t);
                dz.SetFlat(r * 4 * h + j, dcTotal * g * i * (1 - i));
                dz.SetFlat(r * 4 * h + h + j, dcTotal * cPrev.GetFlat(r * h + j) * f * (1 - f));
                dz.SetFlat(r * 4 * h + 2 * h + j, dcTotal * i * (1 - g * g));
                dz.SetFlat(r * 4 * h + 3 * h + j, dH * t * o * (1 - o));
            }
        return dz;
    }

    /// <summary>∂L/∂c of one step: (dc + dh·o·(1 − tanh²c'))·f.</summary>
    public static Tensor LstmCellStateGrad(Tensor dh, Tensor dc, Tensor cell)
    {
        int n = dh.Shape[0], h = dh.Shape[1];
        var y = New(dh.Shape);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < h; j++)
            {
                double V(int k) => cell.GetFlat((k * n + r) * h + j);
                double dH = dh.GetFlat(r * h + j);
                y.SetFlat(r * h + j, (dc.GetFlat(r * h + j) + dH * V(5) * (1 - V(6) * V(6))) * V(3));
            }
        return y;
    }
}
