namespace Nabla;

public sealed partial class Graph
{
    /// <summary>
    /// Forward mode: the directional derivative of y along <paramref name="tangents"/> (one per x, same shape),
    /// built from each op's JVP rule in one forward sweep. Returns zeros when y does not depend on any x.
    /// </summary>
    public Node Jvp(Node y, Node[] xs, Node[] tangents)
    {
        if (xs.Length != tangents.Length)
            throw new InvalidGraphArgumentException($"Jvp: {xs.Length} xs but {tangents.Length} tangents; give one tangent per x.");
        var tangentOf = new Dictionary<Node, Node>();
        for (int i = 0; i < xs.Length; i++)
        {
            CheckDifferentiable(xs[i], "Jvp");
            CheckOwned(tangents[i], "tangent");
            if (tangents[i].DType != xs[i].DType || !xs[i].Shape.IsCompatibleWith(tangents[i].Shape))
                throw new GradientException($"Jvp: tangent '{tangents[i].Name}' {tangents[i].Shape} {tangents[i].DType.Name()} does not match x '{xs[i].Name}' {xs[i].Shape} {xs[i].DType.Name()}.");
            tangentOf[xs[i]] = tangents[i];
        }
        foreach (var node in NodesBetween(y, xs).OrderBy(n => n.Id))
        {
            if (tangentOf.ContainsKey(node) || node.Inputs.Count == 0 || !node.DType.IsFloatingPoint()) continue;
            var tin = new Node?[node.Inputs.Count];
            bool any = false;
            for (int i = 0; i < tin.Length; i++)
                any |= (tin[i] = tangentOf.GetValueOrDefault(node.Inputs[i])) is not null;
            if (!any) continue;
            Node? t;
            using (NameScope("jvp"))
            using (NameScope(node.Name.Replace('/', '_') + "_jvp"))
                t = node.Op.Jvp(node, tin);
            if (t is null) continue;
            if (!node.Shape.IsCompatibleWith(t.Shape) || t.DType != node.DType)
                throw new GradientException($"The JVP rule of {node.OpType} '{node.Name}' returned {t.Shape} {t.DType.Name()} for an output of {node.Shape} {node.DType.Name()}.");
            tangentOf[node] = t;
        }
        return tangentOf.GetValueOrDefault(y) ?? AD.ZerosLike(y);
    }
}
