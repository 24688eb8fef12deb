namespace Nabla;

/// <summary>Writes a file under a unique temporary name in the same folder, flushes it, then renames it over the target.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>All bytes of an existing file, or a <see cref="TensorFileException"/> naming the missing path.</summary>
    public static byte[] ReadAll(string path, string what) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new TensorFileException($"{what} '{path}' does not exist.");
}
