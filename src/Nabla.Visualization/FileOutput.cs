namespace Nabla.Visualization;

/// <summary>Writes files whole or not at all: to a temporary name beside the target, then renamed.</summary>
internal static class FileOutput
{
    public static void Write(string path, byte[] content)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null) Directory.CreateDirectory(dir);
        string temp = full + $".{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllBytes(temp, content);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new NablaException($"Cannot write '{path}': {e.Message}. Check that the folder exists and is writable.", e);
        }
    }

    public static void Write(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));
}
