using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Nabla.Cli;

/// <summary>Options shared by several commands, and option kinds that check their range or choices while parsing.</summary>
internal static class CliOptions
{
    /// <summary>The MNIST folder; the shipped subset when not given.</summary>
    public static Option<string?> Data() => new("--data")
    {
        Description = $"folder with the MNIST IDX files [default: the shipped subset {DataPaths.Subset}; the full set after 'bash scripts/get-mnist.sh': data/mnist]",
        HelpName = "DIR",
    };

    /// <summary>Use only the first N examples of each set.</summary>
    public static Option<int?> Limit(string description) => Int("--limit", description, min: 1);

    /// <summary>A string from a fixed set, matched case-insensitively and returned in its canonical spelling; a typo gets a suggestion.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, IReadOnlyList<string> choices) => new(name)
    {
        Description = description,
        HelpName = string.Join('|', choices),
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return defaultValue;
            string given = result.Tokens[^1].Value;
            var match = choices.FirstOrDefault(c => string.Equals(c, given, StringComparison.OrdinalIgnoreCase));
            if (match is null) result.AddError($"{name} must be one of {string.Join(", ", choices)}; got '{given}'.{Suggestions.DidYouMean(given, choices)}");
            return match ?? defaultValue;
        },
    };

    /// <summary>An optional integer of at least <paramref name="min"/>; null when not given, and <paramref name="defaults"/> says what the command does then.</summary>
    public static Option<int?> Int(string name, string description, int min, string? defaults = null) => new(name)
    {
        Description = $"{description} (an integer ≥ {min}){DefaultNote(defaults)}",
        HelpName = "N",
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseInt(result, name, min),
    };

    /// <summary>An integer of at least <paramref name="min"/> with a default that <c>--help</c> shows.</summary>
    public static Option<int> Int(string name, string description, int min, int defaultValue) => new(name)
    {
        Description = $"{description} (an integer ≥ {min})",
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => result.Tokens.Count == 0 ? defaultValue : ParseInt(result, name, min) ?? defaultValue,
    };

    /// <summary>An optional finite number above zero; null when not given, and <paramref name="defaults"/> says what the command does then.</summary>
    public static Option<double?> Positive(string name, string description, string? defaults = null) => new(name)
    {
        Description = $"{description} (a number > 0){DefaultNote(defaults)}",
        HelpName = "X",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            string given = result.Tokens[^1].Value;
            if (double.TryParse(given, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)) return v;
            result.AddError($"{name} must be a positive number; got '{given}'.");
            return null;
        },
    };

    private static int? ParseInt(ArgumentResult result, string name, int min)
    {
        string given = result.Tokens[^1].Value;
        if (int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min) return v;
        result.AddError($"{name} must be an integer of at least {min}; got '{given}'.");
        return null;
    }

    private static string DefaultNote(string? defaults) => defaults is null ? "" : $" [default: {defaults}]";
}
