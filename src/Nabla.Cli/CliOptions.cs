using System.CommandLine;
using System.CommandLine.Parsing;

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
            string given = result.Tokens[^1].Value;
            var match = choices.FirstOrDefault(c => string.Equals(c, given, StringComparison.OrdinalIgnoreCase));
            if (match is null) result.AddError($"{name} must be one of {string.Join(", ", choices)}; got '{given}'.{Suggestions.DidYouMean(given, choices)}");
            return match ?? defaultValue;
        },
    };

    /// <summary>An optional integer of at least <paramref name="min"/>; null when not given, and <paramref name="defaults"/> says what the command does then.</summary>
    public static Option<int?> Int(string name, string description, int min, string? defaults = null)
    {
        var option = new Option<int?>(name) { Description = $"{description} (an integer ≥ {min}){DefaultNote(defaults)}", HelpName = "N" };
        option.Validators.Add(result => AtLeast(result, name, result.GetValueOrDefault<int?>(), min));
        return option;
    }

    /// <summary>An integer of at least <paramref name="min"/> with a default that <c>--help</c> shows.</summary>
    public static Option<int> Int(string name, string description, int min, int defaultValue)
    {
        var option = new Option<int>(name) { Description = $"{description} (an integer ≥ {min})", HelpName = "N", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result => AtLeast(result, name, result.GetValueOrDefault<int>(), min));
        return option;
    }

    /// <summary>An optional finite number above zero; null when not given, and <paramref name="defaults"/> says what the command does then.</summary>
    public static Option<double?> Positive(string name, string description, string? defaults = null)
    {
        var option = new Option<double?>(name) { Description = $"{description} (a number > 0){DefaultNote(defaults)}", HelpName = "X" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is double v && !(v > 0 && double.IsFinite(v)))
                result.AddError($"{name} must be a positive number; got '{result.Tokens[^1].Value}'.");
        });
        return option;
    }

    private static string DefaultNote(string? defaults) => defaults is null ? "" : $" [default: {defaults}]";

    private static void AtLeast(OptionResult result, string name, int? value, int min)
    {
        if (value < min) result.AddError($"{name} must be an integer of at least {min}; got '{result.Tokens[^1].Value}'.");
    }
}
