using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Samples.Tests;

/// <summary>Runs a project of samples/ as a separate program (its build output, same configuration as the tests) and returns what it printed.</summary>
internal static class Sample
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Nabla.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("Nabla.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<string> RunAsync(string name, params string[] args)
    {
        // The tests' own output folder is bin/<configuration>/<framework>/; the sample's has the same shape.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string dll = Path.Combine(RepositoryRoot, "samples", name, "bin", output.Parent!.Name, output.Name, name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build the solution first.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{name} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>The number after "<paramref name="label"/> = " (or ": ") in <paramref name="output"/>.</summary>
    public static double Number(string output, string label)
    {
        var match = Regex.Match(output, Regex.Escape(label) + @"\s*[=:]?\s*(-?[0-9.]+(?:E[-+]?[0-9]+)?)", RegexOptions.IgnoreCase);
        Assert.True(match.Success, $"'{label}' not found in:\n{output}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
