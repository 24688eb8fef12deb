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
        else if ((DataType)t.DataType is DataType.Int32 or DataType.Int64 or DataType.Bool)
        {
            var integerType = ToDType(t.DataType)!.Value;
            if (t.RawData.Length > 0)
            {
                Check(t.RawData.Length, (long)size * integerType.ByteSize(), where);
                return Tensor.FromBytes(t.RawData.Span, new Shape(dims), integerType);
            }
            // Without raw data ONNX keeps int32 and bool elements in int32_data and int64 ones in int64_data.
            return integerType switch
            {
                DType.Int64 => Checked(Tensor.FromArray(t.Int64Data.ToArray(), dims), size, where),
                DType.Int32 => Checked(Tensor.FromArray(t.Int32Data.ToArray(), dims), size, where),
                _ => Checked(Tensor.FromArray(t.Int32Data.Select(v => v != 0).ToArray(), dims), size, where),
            };
        }
        else throw new OnnxException($"{where} has ONNX element type {(DataType)t.DataType}; Nabla imports float, double, int32, int64 and bool tensors.");
        // The requested dtype converts floating-point weights only; ids and masks keep their types.
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

    private static Tensor Checked(Tensor t, int size, string where)
    {
        Check(t.Size, size, where);
        return t;
    }

    private static void Check(long actual, long expected, string where)
    {
        if (actual != expected) throw new OnnxException($"{where} holds {actual} elements but its dims need {expected}; the ONNX file is corrupt.");
    }
}
