using System.Runtime.InteropServices;

namespace Nabla.Bench.Common;

/// <summary>Facts about the machine a runner measures on (read from /proc on Linux) and where the repository is.</summary>
internal static class BenchMachine
{
    /// <summary>The CPU's model name from /proc/cpuinfo, or the process architecture where that is unavailable.</summary>
    public static string CpuModel()
    {
        try
        {
            var name = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
            if (name is not null) return name[(name.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>CPU, cores, OS and runtime in one line.</summary>
    public static string Description() =>
        $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";

    /// <summary>The one-minute load average (Linux), to judge how shared the machine was; empty elsewhere.</summary>
    public static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : ""; }
        catch (IOException) { return ""; }
    }

    /// <summary>The folder holding Nabla.sln, found by walking up from the executable; else the working folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
