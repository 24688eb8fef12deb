using Nabla.Kernels;

namespace Nabla;

/// <summary>Permutes axes: output axis i is input axis perm[i]. VJP: the inverse permutation.</summary>
internal sealed class TransposeOp(int[] perm) : Op
{
    public int[] Perm { get; } = perm;
    public override string Type => "Transpose";
    public override bool MayFailWhenRun => false;
    internal TransposeOp(OpAttributes a) : this(a.Ints("perm")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("perm", Perm);
    public override string Attributes => $"perm=[{string.Join(", ", Perm)}]";

    public override Shape InferShape(Node node, Shape[] inputShapes)
    {
        var x = inputShapes[0];
        if (x.IsUnknownRank) return Shape.Unknown;
        if (x.Rank != Perm.Length)
            throw OpChecks.Mismatch(node, inputShapes, $"permutation [{string.Join(", ", Perm)}] has {Perm.Length} axes but the input has rank {x.Rank}.");
        return new Shape(Perm.Select(p => x[p]).ToArray());
    }

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        var x = inputs[0];
        Layout.Transpose<T>(x.Span<T>(), x.Shape.Span, Perm, output.Span<T>());
    }

    private int[] Inverse()
    {
        var inv = new int[Perm.Length];
        for (int i = 0; i < Perm.Length; i++) inv[Perm[i]] = i;
        return inv;
    }

    public override Node?[] Vjp(Node node, Node dy) => [dy.Transpose(Inverse())];
    public override Node? Jvp(Node node, Node?[] tangents) => tangents[0]?.Transpose(Perm);
}

public sealed partial class Node
{
    /// <summary>Permutes the axes; with no arguments reverses them (a matrix transpose for rank 2). The gradient is dy transposed by the inverse permutation.</summary>
    public Node Transpose(params int[] perm)
    {
        if (perm.Length == 0)
        {
            if (Shape.IsUnknownRank) throw new InvalidGraphArgumentException($"Transpose of '{Name}': give a permutation, the rank is unknown.");
            perm = Enumerable.Range(0, Shape.Rank).Reverse().ToArray();
        }
        var sorted = perm.Order().ToArray();
        if (!sorted.SequenceEqual(Enumerable.Range(0, perm.Length)))
            throw new InvalidGraphArgumentException($"Transpose of '{Name}': [{string.Join(", ", perm)}] is not a permutation of 0..{perm.Length - 1}.");
        return Graph.Apply(new TransposeOp(perm), [this]);
    }
}
