namespace Nabla;

public sealed partial class Node
{
    /// <summary>A scalar constant of this node's dtype, so <c>x * 2.0</c> stays float32 for a float32 x.</summary>
    private Node Lift(double value) => Graph.Scalar(value, DType);

    /// <summary>x + y, elementwise with broadcasting (<see cref="Add"/>). ∂/∂x = 1, ∂/∂y = 1.</summary>
    public static Node operator +(Node x, Node y) => x.Add(y);
    /// <summary>x − y, elementwise with broadcasting (<see cref="Sub"/>). ∂/∂x = 1, ∂/∂y = −1.</summary>
    public static Node operator -(Node x, Node y) => x.Sub(y);
    /// <summary>x · y, elementwise with broadcasting (<see cref="Mul"/>). ∂/∂x = y, ∂/∂y = x.</summary>
    public static Node operator *(Node x, Node y) => x.Mul(y);
    /// <summary>x / y, elementwise with broadcasting (<see cref="Div"/>). ∂/∂x = 1/y, ∂/∂y = −x/y².</summary>
    public static Node operator /(Node x, Node y) => x.Div(y);
    /// <summary>−x (<see cref="Neg"/>). d/dx = −1.</summary>
    public static Node operator -(Node x) => x.Neg();

    /// <summary>x + y with y a constant of x's dtype. d/dx = 1.</summary>
    public static Node operator +(Node x, double y) => x.Add(x.Lift(y));
    /// <summary>x − y with y a constant of x's dtype. d/dx = 1.</summary>
    public static Node operator -(Node x, double y) => x.Sub(x.Lift(y));
    /// <summary>x · y with y a constant of x's dtype. d/dx = y.</summary>
    public static Node operator *(Node x, double y) => x.Mul(x.Lift(y));
    /// <summary>x / y with y a constant of x's dtype. d/dx = 1/y.</summary>
    public static Node operator /(Node x, double y) => x.Div(x.Lift(y));

    /// <summary>x + y with x a constant of y's dtype. d/dy = 1.</summary>
    public static Node operator +(double x, Node y) => y.Lift(x).Add(y);
    /// <summary>x − y with x a constant of y's dtype. d/dy = −1.</summary>
    public static Node operator -(double x, Node y) => y.Lift(x).Sub(y);
    /// <summary>x · y with x a constant of y's dtype. d/dy = x.</summary>
    public static Node operator *(double x, Node y) => y.Lift(x).Mul(y);
    /// <summary>x / y with x a constant of y's dtype. d/dy = −x/y².</summary>
    public static Node operator /(double x, Node y) => y.Lift(x).Div(y);
}
