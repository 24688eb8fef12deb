using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Nabla.NN;

/// <summary>
/// Saves and restores variables. Format (little-endian): the magic "NABLACKP", a uint32 version, a UTF-8
/// metadata string, a variable count, then per variable its name, dtype code (<see cref="DType"/>: float32 0, float64 1,
/// int32 2, int64 3, bool 4 as one byte), rank, dims and raw data;
/// a SHA-256 of everything before it closes the file. Files are written to a temporary name and renamed,
/// so a crash never leaves a half-written checkpoint; a restore validates everything before it writes any variable.
/// </summary>
public static class Checkpoint
{
    /// <summary>The format version written into every checkpoint; reading a file of another version is a <see cref="CheckpointException"/>.</summary>
    public const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "NABLACKP"u8;
    private const int HashSize = 32;

    /// <summary>Writes the session's values of <paramref name="variables"/> (names must be unique) with free-form metadata.</summary>
    public static void Save(string path, Session session, IEnumerable<Node> variables, string metadata = "")
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(variables);
        var vars = variables.ToArray();
        foreach (var v in vars)
            if (v.Graph != session.Graph)
                throw new CheckpointException($"Checkpoint '{path}': variable '{v.Name}' belongs to another graph than the session's; save each graph's variables with its own session.");
        var duplicate = vars.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new CheckpointException($"Checkpoint '{path}': variable '{duplicate.Key}' is listed twice.");

        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write((uint)Version);
            w.Write(metadata);
            w.Write(vars.Length);
            foreach (var v in vars)
            {
                var value = session.GetVariable(v);
                w.Write(v.Name);
                w.Write((byte)value.DType);
                w.Write(value.Rank);
                foreach (int d in value.Shape.Dims) w.Write(d);
                w.Write(value.AsBytes());
            }
        }
        var hash = SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length));
        body.Write(hash);

        var full = Path.GetFullPath(path);
        // Unique per save, so concurrent saves to one path never share a temporary file; the last rename wins.
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                body.Position = 0;
                body.CopyTo(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Checkpoint '{path}' could not be written: {e.Message} Check that the folder exists, is writable and has free space.", e);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>Reads and validates a checkpoint file (structure and checksum) without touching any session.</summary>
    public static CheckpointData Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"Checkpoint '{path}' does not exist.");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Checkpoint '{path}' could not be read: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>
    /// Restores <paramref name="variables"/> in <paramref name="session"/> from the file; returns its metadata. Throws a
    /// <see cref="CheckpointException"/> naming the variable when the file is corrupt or does not match, and then changes nothing.
    /// </summary>
    public static string Restore(string path, Session session, IEnumerable<Node> variables)
    {
        var data = Read(path);
        data.Restore(session, variables);
        return data.Metadata;
    }

    internal static CheckpointData Parse(byte[] bytes, string source)
    {
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointCorruptException($"'{source}' is not a Nabla checkpoint: it does not start with the magic bytes 'NABLACKP'.");
        var reader = new Reader(bytes, source, Magic.Length);
        uint version = reader.UInt32("the version");
        if (version != Version)
            throw new CheckpointCorruptException($"Checkpoint '{source}' has format version {version}; this build reads version {Version}. Save it again with this version.");
        string metadata = reader.String("the metadata");
        int count = reader.Int32("the variable count");
        if (count < 0) throw new CheckpointCorruptException($"Checkpoint '{source}': the variable count {count} is negative; the file is corrupt.");
        var entries = new List<CheckpointEntry>();
        for (int i = 0; i < count; i++)
        {
            string name = reader.String($"the name of variable {i}");
            string what = $"variable '{name}'";
            byte code = reader.Byte(what);
            if (!((DType)code).IsDefined()) throw new CheckpointCorruptException($"Checkpoint '{source}': {what} has the unknown dtype code {code}; the file is corrupt.");
            var dtype = (DType)code;
            int rank = reader.Int32(what);
            if (rank is < 0 or > 32) throw new CheckpointCorruptException($"Checkpoint '{source}': {what} has rank {rank}; the file is corrupt.");
            var dims = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++)
            {
                dims[d] = reader.Int32(what);
                if (dims[d] < 0) throw new CheckpointCorruptException($"Checkpoint '{source}': {what} has the negative dimension {dims[d]}; the file is corrupt.");
                // Checked against the bytes left before multiplying further, so a crafted header cannot overflow or allocate.
                size *= dims[d];
                if (size * dtype.ByteSize() > bytes.Length - reader.Position)
                    throw new CheckpointCorruptException(
                        $"Checkpoint '{source}': {what} declares dimensions [{string.Join(", ", dims[..(d + 1)])}{(d + 1 < rank ? ", …" : "")}], more data than the {bytes.Length - reader.Position} bytes left in the file at offset {reader.Position}; the file is corrupt or truncated.");
            }
            var raw = reader.Bytes(size * dtype.ByteSize(), what);
            if (dtype == DType.Bool && raw.IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
                throw new CheckpointCorruptException($"Checkpoint '{source}': {what} is bool but element {bad} holds the byte {raw[bad]} (not 0 or 1); the file is corrupt.");
            entries.Add(new CheckpointEntry(name, Tensor.FromBytes(raw, new Shape(dims), dtype)));
        }
        int end = reader.Position;
        if (bytes.Length - end != HashSize)
            throw new CheckpointCorruptException(bytes.Length - end < HashSize
                ? $"Checkpoint '{source}' is truncated: the checksum after the last variable is missing."
                : $"Checkpoint '{source}' has {bytes.Length - end - HashSize} unexpected bytes after its variables; the file is corrupt.");
        if (!SHA256.HashData(bytes.AsSpan(0, end)).AsSpan().SequenceEqual(bytes.AsSpan(end)))
            throw new CheckpointCorruptException($"Checkpoint '{source}' is corrupt: its SHA-256 checksum does not match its content.");
        return new CheckpointData(source, metadata, entries);
    }

    /// <summary>Bounds-checked reads that name what was being read when the file ends too early.</summary>
    private sealed class Reader(byte[] bytes, string source, int position)
    {
        public int Position { get; private set; } = position;

        public ReadOnlySpan<byte> Bytes(long count, string what)
        {
            if (count < 0 || count > bytes.Length - Position)
                throw new CheckpointCorruptException($"Checkpoint '{source}' is truncated: it ends while reading {what} (needs {count} more bytes at offset {Position}, the file has {bytes.Length}).");
            var span = bytes.AsSpan(Position, (int)count);
            Position += (int)count;
            return span;
        }

        public byte Byte(string what) => Bytes(1, what)[0];
        public int Int32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, what));
        public uint UInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what));

        /// <summary>A string as BinaryWriter writes it: a 7-bit encoded length, then UTF-8.</summary>
        public string String(string what)
        {
            int length = 0, shift = 0;
            byte b;
            do
            {
                if (shift > 28) throw new CheckpointCorruptException($"Checkpoint '{source}': a bad string length while reading {what}; the file is corrupt.");
                b = Byte(what);
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return Encoding.UTF8.GetString(Bytes(length, what));
        }
    }
}
