namespace Nabla.Visualization.Tests;

/// <summary>
/// A fact that needs external programs (dot, chromium). When one is missing it is skipped with a message,
/// unless NABLA_REQUIRE_TOOLS=1, where it runs and fails on <see cref="Tools.Require"/>.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => Tools.Find(t) is null).ToArray();
        if (missing.Length > 0 && !Tools.Required)
            Skip = $"needs {string.Join(" and ", missing)} on PATH (apt-get install graphviz chromium); set NABLA_REQUIRE_TOOLS=1 to fail instead of skipping";
    }
}

public static class Tools
{
    public static bool Required => Environment.GetEnvironmentVariable("NABLA_REQUIRE_TOOLS") == "1";

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>The path of a program the test needs; fails the test when it is missing.</summary>
    public static string Require(string program) =>
        Find(program) ?? throw new Xunit.Sdk.XunitException($"'{program}' is not on PATH and NABLA_REQUIRE_TOOLS=1: install it (apt-get install graphviz chromium).");
}

/// <summary>A theory that needs external programs; skipped like <see cref="ToolFactAttribute"/> when one is missing.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools)
    {
        var missing = tools.Where(t => Tools.Find(t) is null).ToArray();
        if (missing.Length > 0 && !Tools.Required)
            Skip = $"needs {string.Join(" and ", missing)} on PATH (apt-get install graphviz chromium); set NABLA_REQUIRE_TOOLS=1 to fail instead of skipping";
    }
}
