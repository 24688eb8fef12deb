namespace Nabla;

/// <summary>Element type of a tensor. float32 is the default; float64 is for gradient checks and science.</summary>
public enum DType
{
    Float32,
    Float64,
}

public static class DTypeExtensions
{
    /// <summary>The TensorFlow-style name: "float" or "double".</summary>
    public static string Name(this DType dtype) => dtype == DType.Float32 ? "float" : "double";

    /// <summary>True for the IEEE floating-point dtypes, the ones with derivatives.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    public static int ByteSize(this DType dtype) => dtype == DType.Float32 ? 4 : 8;

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : throw new NablaException($"Element type {typeof(T).Name} is not supported; use float or double.");
}
