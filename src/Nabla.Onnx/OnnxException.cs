namespace Nabla.Onnx;

/// <summary>A graph that cannot be exported to ONNX, or an ONNX model that cannot be imported; the message names the node and op.</summary>
public sealed class OnnxException(string message) : NablaException(message);
