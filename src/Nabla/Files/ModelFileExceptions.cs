namespace Nabla;

/// <summary>A model file that cannot be written, read or used; nothing of it has been loaded.</summary>
public class ModelFileException(string message) : NablaException(message);

/// <summary>A model file that is truncated, corrupt (checksum mismatch, bad structure) or not a Nabla model file.</summary>
public sealed class ModelFileCorruptException(string message) : ModelFileException(message);

/// <summary>A model file written in a newer format version than this build reads.</summary>
public sealed class ModelFileVersionException(string message) : ModelFileException(message);
