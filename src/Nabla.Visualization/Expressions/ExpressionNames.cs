namespace Nabla.Visualization;

/// <summary>
/// The naming rule for an expression's nodes: the output is "g" and intermediates take e, f, h, i, ... z, then
/// a, b, c, d in order of creation, skipping letters that are variables; when g is a variable, the output takes
/// the next free letter after the intermediates. Past the alphabet, names continue t1, t2, ...
/// This makes the reference example a*b + c*d read e = a*b, f = c*d, g = e + f.
/// </summary>
internal sealed class ExpressionNames
{
    private const string Letters = "efhijklmnopqrstuvwxyzabcd";
    private readonly HashSet<string> _taken;
    private int _next, _numbered;

    public ExpressionNames(IEnumerable<string> variables)
    {
        _taken = new HashSet<string>(variables, StringComparer.Ordinal);
        Output = _taken.Contains("g") ? null : "g";
        if (Output is not null) _taken.Add(Output);
    }

    /// <summary>"g", or null when a variable is called g (then <see cref="NextFree"/> names the output).</summary>
    public string? Output { get; }

    /// <summary>The next unused name in the sequence.</summary>
    public string NextFree()
    {
        while (_next < Letters.Length)
        {
            string candidate = Letters[_next++].ToString();
            if (_taken.Add(candidate)) return candidate;
        }
        while (true)
        {
            string candidate = $"t{++_numbered}";
            if (_taken.Add(candidate)) return candidate;
        }
    }
}
