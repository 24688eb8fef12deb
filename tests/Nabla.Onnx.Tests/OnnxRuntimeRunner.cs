using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Nabla.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime and returns its outputs as Nabla tensors.</summary>
internal static class OnnxRuntimeRunner
{
    public static Tensor[] Run(global::Onnx.ModelProto model, IReadOnlyList<(string Name, Tensor Value)> inputs, IReadOnlyList<string> outputs)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var values = inputs.Select(i => i.Value.DType == DType.Float32
            ? OrtValue.CreateTensorValueFromMemory(i.Value.ToArray<float>(), i.Value.Shape.Dims.Select(d => (long)d).ToArray())
            : OrtValue.CreateTensorValueFromMemory(i.Value.ToArray<double>(), i.Value.Shape.Dims.Select(d => (long)d).ToArray())).ToArray();
        try
        {
            using var run = new RunOptions();
            using var results = session.Run(run, inputs.Select(i => i.Name).ToArray(), values, outputs.ToArray());
            return results.Select(r =>
            {
                var info = r.GetTensorTypeAndShape();
                var dims = info.Shape.Select(d => (int)d).ToArray();
                return info.ElementDataType == TensorElementType.Float
                    ? Tensor.FromArray(r.GetTensorDataAsSpan<float>().ToArray(), dims.Length == 0 ? [1] : dims).Reshape(dims)
                    : Tensor.FromArray(r.GetTensorDataAsSpan<double>().ToArray(), dims.Length == 0 ? [1] : dims).Reshape(dims);
            }).ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
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
