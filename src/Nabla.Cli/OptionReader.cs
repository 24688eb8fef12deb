using System.Globalization;

namespace Nabla.Cli;

/// <summary>Parses "--name value" options of one verb, rejecting unknown names and bad values with a message saying which.</summary>
internal sealed class OptionReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string _verb;

    public OptionReader(string verb, IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        _verb = verb;
        for (int i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || !known.Contains(name[2..]))
                throw new CommandArgumentException($"{verb}: unknown option '{name}'; options are {string.Join(", ", known.Select(k => "--" + k))}.");
            if (i + 1 >= args.Count) throw new CommandArgumentException($"{verb}: option '{name}' needs a value.");
            _values[name[2..]] = args[++i];
        }
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = String(name) ?? fallback;
        return choices.Contains(value) ? value
            : throw new CommandArgumentException($"{_verb}: --{name} must be one of {string.Join(", ", choices)}; got '{value}'.");
    }

    public int Int(string name, int fallback, int min = 1)
    {
        var s = String(name);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min ? v
            : throw new CommandArgumentException($"{_verb}: --{name} must be an integer of at least {min}; got '{s}'.");
    }

    public double Double(string name, double fallback)
    {
        var s = String(name);
        if (s is null) return fallback;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v) ? v
            : throw new CommandArgumentException($"{_verb}: --{name} must be a positive number; got '{s}'.");
    }
}
