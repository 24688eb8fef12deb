namespace Nabla.Cli;

/// <summary>Checks that a command can write its results before it does the work that produces them.</summary>
internal static class OutputFolder
{
    /// <summary>
    /// Creates <paramref name="folder"/> if needed and writes and deletes a probe file in it; throws a
    /// <see cref="CommandArgumentException"/> naming <paramref name="option"/> when that fails.
    /// </summary>
    public static void EnsureWritable(string folder, string option)
    {
        string probe = Path.Combine(folder, $".nabla-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CommandArgumentException($"{option} '{folder}' cannot be written ({e.Message}); choose a folder you can write to.");
        }
    }
}
