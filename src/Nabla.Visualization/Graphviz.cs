using System.Diagnostics;

namespace Nabla.Visualization;

/// <summary>Runs Graphviz's <c>dot</c> to turn DOT text into SVG or PNG.</summary>
internal static class Graphviz
{
    /// <summary>The full path of <c>dot</c> on PATH, or null.</summary>
    public static string? FindDot()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in OperatingSystem.IsWindows() ? new[] { "dot.exe" } : ["dot"])
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Renders <paramref name="dot"/> with <c>dot -T<paramref name="format"/></c> and returns the output bytes.</summary>
    public static byte[] Render(string dot, string format, string? executable)
    {
        string program = executable ?? FindDot()
            ?? throw new GraphvizException($"Cannot draw {format.ToUpperInvariant()}: Graphviz's 'dot' program is not on PATH. {GraphvizException.InstallHint}");
        if (executable is not null && !File.Exists(executable))
            throw new GraphvizException($"Cannot draw {format.ToUpperInvariant()}: the dot program '{executable}' does not exist. {GraphvizException.InstallHint}");
        var info = new ProcessStartInfo(program, ["-T" + format])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new GraphvizException($"Could not start '{program}'. {GraphvizException.InstallHint}");
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dot);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new GraphvizException($"'{program} -T{format}' failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
        return stdout.ToArray();
    }
}
