namespace Nabla.Visualization;

/// <summary>
/// The sentences that explain one step of backpropagation on annotated nodes, e.g. the forward step
/// "e = a · b = 3 · 2 = 6" and the reverse step "dg/da = dg/de · ∂e/∂a = 1 · 2 = 2" (d for total derivatives,
/// ∂ for local partials, as <see cref="PictureText"/> writes them).
/// </summary>
internal static class ChainRule
{
    private static readonly Dictionary<string, string> Infix = new() { ["Add"] = "+", ["Sub"] = "-", ["Mul"] = "·", ["Div"] = "/", ["Pow"] = "^" };

    /// <summary>How a node's value comes about: "a = 3 (fed)", "e = a · b = 3 · 2 = 6", "h = exp(e) = exp(6) = 403.429".</summary>
    public static string Forward(Annotations a, Node n)
    {
        string name = a.Label(n);
        string value = a.ValueText(n) ?? "?";
        switch (n.Op.SourceKind)
        {
            case SourceKind.Placeholder: return $"{name} = {value} (fed)";
            case SourceKind.Constant: return name == value ? $"constant {value}" : $"{name} = {value} (constant)";
            case SourceKind.Variable: return $"{name} = {value} (variable)";
        }
        if (n.ControlFlow is not null) return $"{name} = {value}. {ControlFlowText.Describe(a, n)}";
        string[] names = n.Inputs.Select(a.Label).ToArray();
        string symbolic = Formula(n, names);
        bool scalars = n.Inputs.All(i => a.Values.TryGetValue(i, out var t) && t.Size == 1);
        if (!scalars) return $"{name} = {symbolic} = {value}";
        string numeric = Formula(n, n.Inputs.Select(i => Parenthesize(a.ValueText(i)!)).ToArray());
        return $"{name} = {symbolic} = {numeric} = {value}";
    }

    /// <summary>
    /// How a node's gradient comes about, as a sum over the edges to its consumers of
    /// dout/dconsumer · ∂consumer/∂node: "dg/da = dg/de · ∂e/∂a = 1 · 2 = 2". The output's own is "dg/dg = 1",
    /// and a node read only by the output gets its local partial: "dg/de = ∂g/∂e = 1".
    /// </summary>
    public static string Backward(Annotations a, Node n)
    {
        var output = a.Output!;
        string outName = a.Label(output);
        string total = a.GradientText(n) ?? "?";
        string lhs = PictureText.Total(a, n);
        if (n == output) return $"{lhs} = {total} (the seed: {outName} with respect to itself)";
        var symbolic = new List<string>();
        var numeric = new List<string>();
        bool scalars = true;
        foreach (var (consumer, input) in Edges(a, n))
        {
            var g = a.Gradients[consumer];
            var p = a.Partials[(consumer, input)];
            scalars &= g.Size == 1 && p.Size == 1;
            string partial = Parenthesize(ValueFormat.Number(p.GetFlat(0)));
            string local = PictureText.Local(a, consumer, input);
            // An edge into the output needs no outer factor: dg/dg = 1.
            symbolic.Add(consumer == output ? local : $"{PictureText.Total(a, consumer)} · {local}");
            numeric.Add(consumer == output ? partial : $"{Parenthesize(ValueFormat.Number(g.GetFlat(0)))} · {partial}");
        }
        var constructs = a.Consumers[n].Where(c => c.ControlFlow is not null).Select(a.Label).Distinct().ToArray();
        if (symbolic.Count == 0 && constructs.Length > 0)
            return $"{lhs} = {total}, by the derivative rule of {string.Join(" and ", constructs)}, which runs the VJPs of its functions (see its description)";
        if (symbolic.Count == 0) return $"{lhs} = {total}";
        string sum = string.Join(" + ", symbolic);
        bool onlyIntoOutput = symbolic.Count == 1 && a.Consumers[n].All(c => c == output);
        if (onlyIntoOutput) return scalars ? $"{lhs} = {sum} = {numeric[0]}" : $"{lhs} = {sum} = {total}";
        return scalars ? $"{lhs} = {sum} = {string.Join(" + ", numeric)} = {total}" : $"{lhs} = {sum} = {total}";
    }

    /// <summary>The edges (consumer, input slot) along which the output's gradient reaches <paramref name="n"/>.</summary>
    public static IEnumerable<(Node Consumer, int Input)> Edges(Annotations a, Node n)
    {
        foreach (var consumer in a.Consumers[n].Distinct())
            for (int i = 0; i < consumer.Inputs.Count; i++)
                if (consumer.Inputs[i] == n && a.Gradients.ContainsKey(consumer) && a.Partials.ContainsKey((consumer, i)))
                    yield return (consumer, i);
    }

    private static string Formula(Node n, string[] args)
    {
        if (args.Length == 2 && Infix.TryGetValue(n.OpType, out var symbol)) return $"{args[0]} {symbol} {args[1]}";
        if (n.OpType == "Neg") return $"-{args[0]}";
        string fn = args.Length == 1 ? n.OpType.ToLowerInvariant() : n.OpType;
        return $"{fn}({string.Join(", ", args)})";
    }

    /// <summary>Negative numbers in parentheses, so "3 · -2" reads "3 · (-2)".</summary>
    private static string Parenthesize(string number) => number.StartsWith('-') ? $"({number})" : number;
}
