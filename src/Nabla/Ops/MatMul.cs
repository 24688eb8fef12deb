using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// C = op(A)·op(B) over the last two axes, with the leading (batch) axes broadcast; op transposes when
/// asked, by packing rather than copying. VJP: dA = dC·op(B)ᵀ, dB = op(A)ᵀ·dC (arranged per transpose
/// flags), each summed over broadcast batch axes.
/// </summary>
internal sealed class MatMulOp(bool transposeA, bool transposeB) : Op
{
    public bool TransposeA { get; } = transposeA;
    public bool TransposeB { get; } = transposeB;
    public override string Type => "MatMul";
    public override bool MayFailWhenRun => false;
    internal MatMulOp(OpAttributes a) : this(a.Bool("transpose_a"), a.Bool("transpose_b")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("transpose_a", TransposeA).Set("transpose_b", TransposeB);
    public override string Attributes => (TransposeA ? "transposeA " : "") + (TransposeB ? "transposeB" : "");

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        Shape a = inputShapes[0], b = inputShapes[1];
        if (a.IsUnknownRank || b.IsUnknownRank) return Shape.Unknown;
        if (a.Rank < 2 || b.Rank < 2)
            throw OpChecks.Mismatch(node, inputShapes, "MatMul needs operands of rank 2 or more; Reshape a vector to [1, n] or [n, 1].");
        int m = TransposeA ? a[-1] : a[-2], ka = TransposeA ? a[-2] : a[-1];
        int kb = TransposeB ? b[-1] : b[-2], n = TransposeB ? b[-2] : b[-1];
        if (ka != -1 && kb != -1 && ka != kb)
            throw OpChecks.Mismatch(node, inputShapes, $"inner dimensions differ: {ka} vs {kb}.");
        var batch = OpChecks.Broadcast(node, [new Shape(a.Dims[..^2]), new Shape(b.Dims[..^2])]);
        return new Shape([.. batch.Dims, m, n]);
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        Run<T>(inputs[0], inputs[1], output);
    }

    private void Run<T>(Tensor a, Tensor b, Tensor c) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int m = c.Shape[-2], n = c.Shape[-1], k = TransposeA ? a.Shape[-2] : a.Shape[-1];
        var sa = a.Span<T>(); var sb = b.Span<T>(); var sc = c.Span<T>();
        int batches = c.Size / Math.Max(1, m * n);
        if (a.Rank == 2 && b.Rank == 2) { MatMul.Multiply(sa, sb, sc, m, n, k, TransposeA, TransposeB); return; }
        int batchRank = c.Rank - 2;
        Span<int> cb = stackalloc int[batchRank], ab = stackalloc int[batchRank], bb = stackalloc int[batchRank];
        Span<int> aStride = stackalloc int[batchRank], bStride = stackalloc int[batchRank];
        c.Shape.Span[..batchRank].CopyTo(cb);
        StridedRows.BroadcastStrides(a.Shape.Span[..^2], cb, aStride);
        StridedRows.BroadcastStrides(b.Shape.Span[..^2], cb, bStride);
        int aMat = a.Shape[-1] * a.Shape[-2], bMat = b.Shape[-1] * b.Shape[-2];
        for (int i = 0; i < batches; i++)
        {
            int rem = i, ao = 0, bo = 0;
            for (int d = batchRank - 1; d >= 0; d--)
            {
                int j = rem % cb[d]; rem /= cb[d];
                ao += j * aStride[d]; bo += j * bStride[d];
            }
            MatMul.Multiply(sa.Slice(ao * aMat, aMat), sb.Slice(bo * bMat, bMat), sc.Slice(i * m * n, m * n), m, n, k, TransposeA, TransposeB);
        }
    }

    public override Node?[] Vjp(Node node, Node dy)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        Node da, db;
        if (!TransposeA && !TransposeB) { da = dy.MatMul(b, false, true); db = a.MatMul(dy, true, false); }
        else if (TransposeA && !TransposeB) { da = b.MatMul(dy, false, true); db = a.MatMul(dy, false, false); }
        else if (!TransposeA && TransposeB) { da = dy.MatMul(b, false, false); db = dy.MatMul(a, true, false); }
        else { da = b.MatMul(dy, true, true); db = dy.MatMul(a, true, true); }
        return [AD.SumTo(da, a), AD.SumTo(db, b)];
    }

    public override Node? Jvp(Node node, Node?[] tangents)
    {
        Node a = node.Inputs[0], b = node.Inputs[1];
        var ta = tangents[0] is null ? null : tangents[0]!.MatMul(b, TransposeA, TransposeB);
        var tb = tangents[1] is null ? null : a.MatMul(tangents[1]!, TransposeA, TransposeB);
        return AD.BroadcastLike(AD.AddOrNull(ta, tb), node);
    }
}

public sealed partial class Node
{
    /// <summary>Matrix product over the last two axes; leading axes are batch axes and broadcast. For C = A·B: ∂/∂A = dC·Bᵀ, ∂/∂B = Aᵀ·dC (summed over broadcast batch axes).</summary>
    public Node MatMul(Node other) => MatMul(other, false, false);

    /// <summary>Matrix product with either operand transposed (handled inside the kernel, not by a copy). The gradients are the products of dC with the other operand, transposed to match (as for <see cref="MatMul(Node)"/>).</summary>
    public Node MatMul(Node other, bool transposeA, bool transposeB) => Graph.Apply(new MatMulOp(transposeA, transposeB), [this, other]);
}
