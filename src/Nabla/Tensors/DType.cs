using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// Element type of a tensor. float32 is the default; float64 is for gradient checks and science; int32 and int64 hold
/// ids, labels, counts and indices; bool holds the results of comparisons. Only the floating-point dtypes have derivatives.
/// The numeric codes are stable: files store them.
/// </summary>
public enum DType
{
    /// <summary>32-bit IEEE floating point (C# <c>float</c>), the default.</summary>
    Float32 = 0,
    /// <summary>64-bit IEEE floating point (C# <c>double</c>).</summary>
    Float64 = 1,
    /// <summary>32-bit signed integer (C# <c>int</c>).</summary>
    Int32 = 2,
    /// <summary>64-bit signed integer (C# <c>long</c>).</summary>
    Int64 = 3,
    /// <summary>Boolean, one byte per element (C# <c>bool</c>).</summary>
    Bool = 4,
}

/// <summary>Names and sizes of the dtypes.</summary>
public static class DTypeExtensions
{
    /// <summary>The TensorFlow-style name: "float", "double", "int32", "int64" or "bool".</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        DType.Bool => "bool",
        _ => $"dtype({(int)dtype})",
    };

    /// <summary>True for the IEEE floating-point dtypes, the ones with derivatives.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>True for the integer dtypes (int32, int64).</summary>
    public static bool IsInteger(this DType dtype) => dtype is DType.Int32 or DType.Int64;

    /// <summary>True for the dtypes with arithmetic: floating-point and integer (not bool).</summary>
    public static bool IsNumeric(this DType dtype) => dtype.IsFloatingPoint() || dtype.IsInteger();

    /// <summary>True for the dtypes a session and a file know (the named members of <see cref="DType"/>).</summary>
    public static bool IsDefined(this DType dtype) => dtype is >= DType.Float32 and <= DType.Bool;

    /// <summary>Bytes per element: 4, 8, 4, 8 and 1.</summary>
    public static int ByteSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Bool => 1,
        _ => 8,
    };

    /// <summary>The .NET element type: float, double, int, long or bool.</summary>
    public static Type ElementType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.Bool => typeof(bool),
        _ => throw new DTypeMismatchException($"Unknown dtype code {(int)dtype}."),
    };

    /// <summary>The dtype whose elements are T (float, double, int, long or bool).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(bool) ? DType.Bool
        : throw new DTypeMismatchException($"Element type {typeof(T).Name} is not supported; use float, double, int, long or bool.");
}
