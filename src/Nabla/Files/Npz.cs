using System.IO.Compression;

namespace Nabla;

/// <summary>
/// NumPy's .npz format: a zip archive with one .npy member per array, named "NAME.npy" (as <c>np.savez</c> and
/// <c>np.savez_compressed</c> write it). Reads stored and deflated members; writes deflated ones.
/// </summary>
public static class Npz
{
    /// <summary>Reads every array of the archive, by name (without ".npy"), in archive order.</summary>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        var bytes = AtomicFile.ReadAll(path, "The .npz file");
        ZipArchive zip;
        try { zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read); }
        catch (InvalidDataException e)
        {
            throw new TensorFileCorruptException($"'{path}' is not a readable .npz (zip) archive: {e.Message}");
        }
        using (zip)
        {
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var member in zip.Entries)
            {
                if (!member.FullName.EndsWith(".npy", StringComparison.Ordinal))
                    throw new TensorFileCorruptException($"'{path}' holds the member '{member.FullName}', which is not a .npy array; the archive is not an .npz file.");
                var name = member.FullName[..^4];
                var source = $"{path}:{member.FullName}";
                byte[] data;
                try
                {
                    using var stream = member.Open();
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    data = buffer.ToArray();
                }
                catch (InvalidDataException e)
                {
                    throw new TensorFileCorruptException($"'{source}' cannot be decompressed: {e.Message}");
                }
                if (!result.TryAdd(name, Npy.Read(data, source)))
                    throw new TensorFileCorruptException($"'{path}' holds the array '{name}' twice.");
            }
            return result;
        }
    }

    /// <summary>Writes the arrays to an .npz archive (atomically), each as the member "NAME.npy".</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> arrays)
    {
        var list = arrays.ToList();
        var duplicate = list.GroupBy(a => a.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new TensorFileException($"'{path}': the array name '{duplicate.Key}' is given twice.");
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, tensor) in list)
            {
                using var member = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal).Open();
                member.Write(Npy.ToBytes(tensor));
            }
        });
    }
}
