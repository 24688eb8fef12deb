namespace Nabla;

/// <summary>Element type of a tensor. float32 is the default; float64 is for gradient checks and science.</summary>
public enum DType
{
    /// <summary>32-bit IEEE floating point (C# <c>float</c>), the default.</summary>
    Float32,
    /// <summary>64-bit IEEE floating point (C# <c>double</c>).</summary>
    Float64,
}

/// <summary>Names and sizes of the dtypes.</summary>
public static class DTypeExtensions
{
    /// <summary>The TensorFlow-style name: "float" or "double".</summary>
    public static string Name(this DType dtype) => dtype == DType.Float32 ? "float" : "double";

    /// <summary>True for the IEEE floating-point dtypes, the ones with derivatives.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The size of one element in bytes: 4 for float32, 8 for float64.</summary>
    public static int ByteSize(this DType dtype) => dtype == DType.Float32 ? 4 : 8;

    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : throw new NablaException($"Element type {typeof(T).Name} is not supported; use float or double.");
}
