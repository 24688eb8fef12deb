using System.Diagnostics;

namespace Nabla.Tests.Files;

/// <summary>
/// Runs Debian's python3 (/usr/bin/python3, whose modules come from apt) for checks against NumPy and ONNX.
/// A test needing a missing module is skipped with a message, unless NABLA_REQUIRE_TOOLS=1, where it fails.
/// </summary>
public static class Python
{
    public static string Program => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static bool Required => Environment.GetEnvironmentVariable("NABLA_REQUIRE_TOOLS") == "1";

    private static readonly Dictionary<string, bool> Available = [];

    /// <summary>True when python3 can import <paramref name="module"/>.</summary>
    public static bool Has(string module)
    {
        lock (Available)
        {
            if (!Available.TryGetValue(module, out bool ok))
            {
                try { ok = Run($"import {module}").ExitCode == 0; }
                catch (System.ComponentModel.Win32Exception) { ok = false; }
                Available[module] = ok;
            }
            return ok;
        }
    }

    /// <summary>Runs a script; returns the exit code and the combined output.</summary>
    public static (int ExitCode, string Output) Run(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}

/// <summary>A fact that needs python3 with the given modules (Debian packages); skipped with a message when they are missing.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute(string module, string package)
    {
        if (!Python.Has(module) && !Python.Required)
            Skip = $"needs python3 with {module} (apt-get install {package}); set NABLA_REQUIRE_TOOLS=1 to fail instead of skipping";
    }
}
