namespace Nabla;

/// <summary>A model file that cannot be written, read or used; nothing of it has been loaded.</summary>
public class ModelFileException(string message) : NablaException(message);

/// <summary>A model file that is truncated, corrupt (checksum mismatch, bad structure) or not a Nabla model file.</summary>
public sealed class ModelFileCorruptException(string message) : ModelFileException(message);

/// <summary>A model file written in a newer format version than this build reads.</summary>
public sealed class ModelFileVersionException(string message) : ModelFileException(message);

/// <summary>A graph holding a node whose op cannot be written to a model file, such as a custom gradient's C# rules.</summary>
public sealed class ModelFileUnsavableOpException(string message, string nodeName, string opType) : ModelFileException(message)
{
    /// <summary>The name of the node that cannot be saved.</summary>
    public string NodeName { get; } = nodeName;

    /// <summary>The op type of that node.</summary>
    public string OpType { get; } = opType;
}
