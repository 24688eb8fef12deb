namespace Nabla;

/// <summary>
/// Small builders shared by the ops' derivative rules; each skips work that is the identity. They live with the
/// ops they construct (SumTo, BroadcastTo, FillLike), so Ops do not depend on Autodiff: Autodiff uses them too.
/// </summary>
internal static class AD
{
    /// <summary>True when <paramref name="node"/> is a one-element constant equal to <paramref name="value"/>.</summary>
    public static bool IsConstant(Node node, double value) =>
        node.Op is { SourceKind: SourceKind.Constant, FixedValue: { Size: 1 } c } && c.GetFlat(0) == value;

    /// <summary>
    /// g · p, with p = 1 giving g, p = -1 giving -g, and g a broadcast of the constant 1 to p's shape (the seed of a
    /// gradient of a sum, read once per element otherwise) giving p; null when either is null.
    /// </summary>
    public static Node? Scale(Node? g, Node? p)
    {
        if (g is null || p is null) return null;
        if (IsConstant(p, 1) && Broadcasts(p, g)) return g;
        if (IsConstant(p, -1) && Broadcasts(p, g)) return -g;
        if (IsBroadcastOne(g) && p.DType == g.DType && g.Shape.IsFullyKnown && p.Shape == g.Shape) return p;
        return g * p;
    }

    /// <summary>True when <paramref name="node"/> broadcasts the one-element constant 1.</summary>
    private static bool IsBroadcastOne(Node node) => node.Op is BroadcastToOp && IsConstant(node.Inputs[0], 1);

    private static bool Broadcasts(Node small, Node into) => small.Shape.Rank == 0 || (small.Shape.Rank <= into.Shape.Rank && small.Shape.Size == 1);

    public static Node? AddOrNull(Node? a, Node? b) => a is null ? b : b is null ? a : a + b;

    /// <summary>Sums <paramref name="v"/> down to the shape of <paramref name="like"/> (the gradient of broadcasting).</summary>
    public static Node? SumTo(Node? v, Node like)
    {
        if (v is null) return null;
        if (v.Shape.IsFullyKnown && v.Shape == like.Shape) return v;
        return v.Graph.Apply(new SumToOp(), [v, like], "SumTo");
    }

    /// <summary>Broadcasts <paramref name="v"/> to the shape of <paramref name="like"/>.</summary>
    public static Node? BroadcastLike(Node? v, Node like)
    {
        if (v is null) return null;
        if (v.Shape.IsFullyKnown && v.Shape == like.Shape) return v;
        return v.Graph.Apply(new BroadcastToOp((Shape?)null), [v, like], "BroadcastTo");
    }

    /// <summary>A scalar constant in <paramref name="like"/>'s graph and dtype.</summary>
    public static Node Scalar(Node like, double value) => like.Graph.Scalar(value, like.DType);

    /// <summary>Ones shaped like <paramref name="x"/>: a constant when the shape is known, else OnesLike.</summary>
    public static Node OnesLike(Node x) =>
        x.Shape.IsFullyKnown ? x.Graph.Constant(Tensor.Ones(x.Shape, x.DType), "ones") : x.Graph.Apply(new FillLikeOp(1), [x], "OnesLike");

    public static Node ZerosLike(Node x) =>
        x.Shape.IsFullyKnown ? x.Graph.Constant(Tensor.Zeros(x.Shape, x.DType), "zeros") : x.Graph.Apply(new FillLikeOp(0), [x], "ZerosLike");
}
