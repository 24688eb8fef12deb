namespace Nabla;

/// <summary>Builds function bodies from user lambdas, and their derivatives as further functions of the same body graph.</summary>
internal static class BodyBuilder
{
    /// <summary>Placeholders in <paramref name="body"/> standing for values like <paramref name="likes"/> (shape and dtype; unknown shape for a null shape).</summary>
    public static Node[] Parameters(Graph body, string prefix, IEnumerable<(Shape Shape, DType DType)> likes) =>
        [.. likes.Select((l, i) => body.Placeholder($"{prefix}{i}", l.Shape, l.DType))];

    public static Node[] ParametersLike(Graph body, string prefix, IEnumerable<Node> likes) =>
        Parameters(body, prefix, likes.Select(n => (n.Shape, n.DType)));

    /// <summary>The lambda's results as nodes of <paramref name="body"/> (an outer node returned as it is gets captured).</summary>
    public static Node[] Results(Graph body, Node[]? results, string construct, string what)
    {
        if (results is null) throw new InvalidGraphArgumentException($"{construct}: {what} returned null; return the nodes it computes.");
        var inner = new Node[results.Length];
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i] is null) throw new InvalidGraphArgumentException($"{construct}: {what} returned null as result {i}.");
            inner[i] = body.Capture(results[i], construct);
        }
        foreach (var n in body.Nodes)
            if (n.Op.IsStateful)
                throw new InvalidGraphArgumentException($"{construct}: {what} builds the stateful op {n.OpType} '{n.Name}'; control-flow bodies must not change variables. Apply updates outside.");
        return inner;
    }

    /// <summary>
    /// Reverse mode inside a body: Σᵢ dysᵢ · ∂resultsᵢ/∂x for each x (null where the results do not depend on x, and
    /// for integer and bool x), as nodes of the body graph, so they can be run by a further control-flow op and
    /// differentiated again.
    /// </summary>
    public static Node?[] Vjp(IReadOnlyList<Node> results, IReadOnlyList<Node> dys, IReadOnlyList<Node> xs)
    {
        Node? s = null;
        for (int i = 0; i < results.Count; i++)
        {
            if (!results[i].DType.IsFloatingPoint()) continue;
            var term = (results[i] * dys[i]).Sum();
            s = s is null ? term : s + term;
        }
        var grads = new Node?[xs.Count];
        var floats = xs.Select((x, i) => (x, i)).Where(p => p.x.DType.IsFloatingPoint()).ToArray();
        if (floats.Length == 0 || s is null) return grads;
        var found = s.Graph.Gradients(s, [.. floats.Select(p => p.x)]);
        for (int k = 0; k < floats.Length; k++) grads[floats[k].i] = found[k];
        return grads;
    }

    /// <summary>Which of <paramref name="count"/> gradients from index <paramref name="from"/> on are connected (not null), counted from <paramref name="from"/>.</summary>
    public static int[] Connected(Node?[] grads, int from, int count) => [.. Enumerable.Range(0, count).Where(j => grads[from + j] is not null)];

    /// <summary>
    /// Forward mode inside a body: the tangent of each result along <paramref name="tangents"/> of <paramref name="xs"/>
    /// (integer and bool xs carry none; integer and bool results get zeros).
    /// </summary>
    public static Node[] Jvp(IReadOnlyList<Node> results, Node[] xs, Node[] tangents)
    {
        int[] floats = [.. Enumerable.Range(0, xs.Length).Where(i => xs[i].DType.IsFloatingPoint())];
        Node[] fx = [.. floats.Select(i => xs[i])], ft = [.. floats.Select(i => tangents[i])];
        return [.. results.Select(r => r.DType.IsFloatingPoint() && fx.Length > 0 ? r.Graph.Jvp(r, fx, ft) : AD.ZerosLike(r))];
    }

    /// <summary>The float inputs (by index) that have a tangent, with their tangents.</summary>
    public static int[] WithTangent(Node node, Node?[] tangents, int from) =>
        [.. Enumerable.Range(from, node.Inputs.Count - from).Where(i => tangents[i] is not null && node.Inputs[i].DType.IsFloatingPoint())];
}
