using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Nabla.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime and returns its outputs as Nabla tensors.</summary>
internal static class OnnxRuntimeRunner
{
    public static Tensor[] Run(global::Onnx.ModelProto model, IReadOnlyList<(string Name, Tensor Value)> inputs, IReadOnlyList<string> outputs)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var values = inputs.Select(i => ToOrt(i.Value)).ToArray();
        try
        {
            using var run = new RunOptions();
            using var results = session.Run(run, inputs.Select(i => i.Name).ToArray(), values, outputs.ToArray());
            return results.Select(r =>
            {
                var info = r.GetTensorTypeAndShape();
                var dims = info.Shape.Select(d => (int)d).ToArray();
                var dtype = info.ElementDataType switch
                {
                    TensorElementType.Float => DType.Float32,
                    TensorElementType.Double => DType.Float64,
                    TensorElementType.Int32 => DType.Int32,
                    TensorElementType.Int64 => DType.Int64,
                    TensorElementType.Bool => DType.Bool,
                    var other => throw new InvalidOperationException($"ONNX Runtime output of element type {other}"),
                };
                return Tensor.FromBytes(r.GetTensorMutableRawData(), new Shape(dims), dtype);
            }).ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static OrtValue ToOrt(Tensor t)
    {
        var dims = t.Shape.Dims.Select(d => (long)d).ToArray();
        return t.DType switch
        {
            DType.Float32 => OrtValue.CreateTensorValueFromMemory(t.ToArray<float>(), dims),
            DType.Float64 => OrtValue.CreateTensorValueFromMemory(t.ToArray<double>(), dims),
            DType.Int32 => OrtValue.CreateTensorValueFromMemory(t.ToArray<int>(), dims),
            DType.Int64 => OrtValue.CreateTensorValueFromMemory(t.ToArray<long>(), dims),
            _ => OrtValue.CreateTensorValueFromMemory(t.ToArray<bool>(), dims),
        };
    }

    /// <summary>Asserts |expected − actual| ≤ tolerance·max(1, |expected|) elementwise, naming the first element that differs.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"{what}: element {i} is {a[i]} in ONNX Runtime, {e[i]} in Nabla");
    }
}
