namespace Nabla;

/// <summary>A tensor file (.npy, .npz, safetensors, model file) that cannot be read or written.</summary>
public class TensorFileException(string message) : NablaException(message);

/// <summary>A file that is truncated, corrupt or not of the format it claims; the message names the file and the offset.</summary>
public sealed class TensorFileCorruptException(string message) : TensorFileException(message);

/// <summary>A well-formed file that holds something Nabla cannot represent yet (an element type, a memory order).</summary>
public sealed class TensorFileUnsupportedException(string message) : TensorFileException(message);
