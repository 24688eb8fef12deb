using System.Runtime.InteropServices;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Nabla.Onnx;

/// <summary>ONNX tensor protos as Nabla tensors (float and double) or as integer lists (int64/int32: shapes, axes).</summary>
internal static class OnnxTensors
{
    public static bool IsFloating(TensorProto t) => (DataType)t.DataType is DataType.Float or DataType.Double;

    public static bool IsInteger(TensorProto t) => (DataType)t.DataType is DataType.Int64 or DataType.Int32;

    /// <summary>A float or double tensor, converted to <paramref name="dtype"/> when given.</summary>
    public static Tensor ToTensor(TensorProto t, DType? dtype, string where)
    {
        var dims = t.Dims.Select(d => checked((int)d)).ToArray();
        int size = dims.Aggregate(1, (a, d) => checked(a * d));
        Tensor result;
        if ((DataType)t.DataType == DataType.Float)
        {
            var data = t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();
            Check(data.Length, size, where);
            result = Tensor.FromArray(data, dims.Length == 0 ? [1] : dims).Reshape(dims);
        }
        else if ((DataType)t.DataType == DataType.Double)
        {
            var data = t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, double>(t.RawData.Span).ToArray() : t.DoubleData.ToArray();
            Check(data.Length, size, where);
            result = Tensor.FromArray(data, dims.Length == 0 ? [1] : dims).Reshape(dims);
        }
        else throw new OnnxException($"{where} has ONNX element type {(DataType)t.DataType}; Nabla imports float and double tensors (and int64 shapes and axes).");
        return dtype is { } d && d != result.DType ? result.Cast(d) : result;
    }

    /// <summary>An int64 or int32 tensor's elements.</summary>
    public static long[] ToLongs(TensorProto t, string where)
    {
        long[] data = (DataType)t.DataType switch
        {
            DataType.Int64 => t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : t.Int64Data.ToArray(),
            DataType.Int32 => t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray().Select(v => (long)v).ToArray() : t.Int32Data.Select(v => (long)v).ToArray(),
            _ => throw new OnnxException($"{where} must be an integer tensor but has element type {(DataType)t.DataType}."),
        };
        Check(data.Length, t.Dims.Aggregate(1L, (a, d) => a * d), where);
        return data;
    }

    public static DType? ToDType(long onnxType) => (DataType)onnxType switch
    {
        DataType.Float => DType.Float32,
        DataType.Double => DType.Float64,
        DataType.Int32 => DType.Int32,
        DataType.Int64 => DType.Int64,
        DataType.Bool => DType.Bool,
        _ => null,
    };

    private static void Check(long actual, long expected, string where)
    {
        if (actual != expected) throw new OnnxException($"{where} holds {actual} elements but its dims need {expected}; the ONNX file is corrupt.");
    }
}
