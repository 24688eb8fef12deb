namespace Nabla.NN;

/// <summary>One saved variable: its name and value.</summary>
public sealed record CheckpointEntry(string Name, Tensor Value);

/// <summary>A checkpoint read and validated in memory: its metadata and variables.</summary>
public sealed class CheckpointData(string source, string metadata, IReadOnlyList<CheckpointEntry> entries)
{
    /// <summary>The free-form text saved with the checkpoint (e.g. the JSON that <c>nabla train</c> writes to name its model).</summary>
    public string Metadata { get; } = metadata;
    /// <summary>The saved variables, in the order they were written.</summary>
    public IReadOnlyList<CheckpointEntry> Entries { get; } = entries;

    /// <summary>
    /// Writes the saved values into <paramref name="variables"/> of <paramref name="session"/>. The file must hold
    /// exactly these variables, by name, with the same shapes and dtypes; otherwise a <see cref="CheckpointMismatchException"/>
    /// names the first variable that differs, and no variable has been written.
    /// </summary>
    public void Restore(Session session, IEnumerable<Node> variables)
    {
        ArgumentNullException.ThrowIfNull(session);
        var vars = variables.ToArray();
        var saved = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in Entries)
            if (!saved.TryAdd(e.Name, e.Value))
                throw new CheckpointCorruptException($"Checkpoint '{source}' holds variable '{e.Name}' twice; the file is corrupt.");
        foreach (var v in vars)
        {
            if (!saved.TryGetValue(v.Name, out var value))
                throw new CheckpointMismatchException($"Checkpoint '{source}' has no variable '{v.Name}' {v.Shape}: it was saved from another model (it holds {Describe(saved.Keys)}). Restore it into the model it was saved from.");
            if (value.Shape != v.Shape || value.DType != v.DType)
                throw new CheckpointMismatchException($"Checkpoint '{source}': variable '{v.Name}' is saved as {value.Shape} {value.DType.Name()} but the model has {v.Shape} {v.DType.Name()}. The checkpoint is of another architecture.");
        }
        var extra = saved.Keys.Except(vars.Select(v => v.Name)).FirstOrDefault();
        if (extra is not null)
            throw new CheckpointMismatchException($"Checkpoint '{source}' holds variable '{extra}', which the model does not have: it was saved from another model.");
        foreach (var v in vars) session.SetVariable(v, saved[v.Name]);
    }

    /// <summary>Metadata key under which a safetensors export keeps the checkpoint's metadata.</summary>
    public const string SafeTensorsMetadataKey = "nabla.metadata";

    /// <summary>Writes the variables, by name, to a safetensors file (atomically), with the checkpoint's metadata.</summary>
    public void ExportSafeTensors(string path) =>
        SafeTensors.Write(path, Entries.Select(e => KeyValuePair.Create(e.Name, e.Value)),
            new Dictionary<string, string> { [SafeTensorsMetadataKey] = Metadata });

    /// <summary>
    /// Reads a safetensors file as checkpoint data: every tensor becomes the variable of the same name. <see cref="Restore"/>
    /// then checks names, shapes and dtypes against the model before it writes anything.
    /// </summary>
    public static CheckpointData ImportSafeTensors(string path)
    {
        var contents = SafeTensors.Read(path);
        return new CheckpointData(path, contents.Metadata.GetValueOrDefault(SafeTensorsMetadataKey, ""),
            contents.Tensors.Select(t => new CheckpointEntry(t.Key, t.Value)).ToList());
    }

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.Take(6).Select(n => $"'{n}'").ToList();
        return list.Count == 0 ? "no variables" : string.Join(", ", list) + (names.Count() > 6 ? ", ..." : "");
    }
}
