namespace Nabla;

public sealed partial class Node
{
    /// <summary>A scalar constant of this node's dtype, so <c>x * 2.0</c> stays float32 for a float32 x.</summary>
    private Node Lift(double value) => Graph.Scalar(value, DType);

    public static Node operator +(Node x, Node y) => x.Add(y);
    public static Node operator -(Node x, Node y) => x.Sub(y);
    public static Node operator *(Node x, Node y) => x.Mul(y);
    public static Node operator /(Node x, Node y) => x.Div(y);
    public static Node operator -(Node x) => x.Neg();

    public static Node operator +(Node x, double y) => x.Add(x.Lift(y));
    public static Node operator -(Node x, double y) => x.Sub(x.Lift(y));
    public static Node operator *(Node x, double y) => x.Mul(x.Lift(y));
    public static Node operator /(Node x, double y) => x.Div(x.Lift(y));

    public static Node operator +(double x, Node y) => y.Lift(x).Add(y);
    public static Node operator -(double x, Node y) => y.Lift(x).Sub(y);
    public static Node operator *(double x, Node y) => y.Lift(x).Mul(y);
    public static Node operator /(double x, Node y) => y.Lift(x).Div(y);
}
