namespace Nabla;

/// <summary>
/// An op produced NaN or ±∞ where numerics are checked (<see cref="SessionOptions.CheckNumerics"/> or a
/// <see cref="Node.CheckNumerics"/> node). Says which node, its op and name scope, the first bad element and
/// whether the op's inputs were all finite (then this op created the value; otherwise it passed it on).
/// </summary>
public sealed class NonFiniteValueException : NablaException
{
    internal NonFiniteValueException(string message, Node node, int[] index, double value, bool inputsFinite) : base(message)
    {
        NodeName = node.Name;
        OpType = node.OpType;
        int slash = node.Name.LastIndexOf('/');
        NameScope = slash < 0 ? "" : node.Name[..slash];
        Index = index;
        Value = value;
        InputsFinite = inputsFinite;
    }

    /// <summary>The node whose output holds the value.</summary>
    public string NodeName { get; }

    /// <summary>The node's op type, e.g. "Log".</summary>
    public string OpType { get; }

    /// <summary>Where in the graph the node is: its name without the last component ("" at the top level).</summary>
    public string NameScope { get; }

    /// <summary>Indices of the first non-finite element of the output.</summary>
    public int[] Index { get; }

    /// <summary>The value found there: NaN, +∞ or −∞.</summary>
    public double Value { get; }

    /// <summary>True when every input of the op was finite: the op itself created the value.</summary>
    public bool InputsFinite { get; }
}
