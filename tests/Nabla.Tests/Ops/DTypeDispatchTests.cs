using System.Numerics;

namespace Nabla.Tests.Ops;

/// <summary>The element type of an op's forward comes from one place: <see cref="Op.Forward(ReadOnlySpan{Tensor}, Tensor)"/>.</summary>
public class DTypeDispatchTests
{
    /// <summary>y = x³ written once over T; records the element type it ran with.</summary>
    private sealed class CubeOp : Op
    {
        public Type? RanWith { get; private set; }
        public override string Type => "Cube";
        public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

        protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
        {
            RanWith = typeof(T);
            var x = inputs[0].Span<T>();
            var y = output.Span<T>();
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i];
        }
    }

    /// <summary>An op that declares it computes float32 only.</summary>
    private sealed class SingleOnlyOp : Op
    {
        public override string Type => "SingleOnly";
        public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];
        public override bool SupportsDType(DType dtype) => dtype == DType.Float32;
        protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output) => inputs[0].CopyTo(output);
    }

    [Theory]
    [InlineData(DType.Float32, typeof(float))]
    [InlineData(DType.Float64, typeof(double))]
    public void ForwardRunsWithTheElementTypeOfTheOutputDType(DType dtype, Type expected)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3), dtype);
        var op = new CubeOp();
        var y = g.Apply(op, [x]);
        using var s = new Session(g);
        var result = s.Run(y, new Feeds { [x] = Tensor.FromArray(new double[] { -2, 0.5, 3 }, 3).Cast(dtype) });
        Assert.Equal(expected, op.RanWith);
        Assert.Equal(dtype, result.DType);
        Assert.Equal(new[] { -8, 0.125, 27 }, result.ToArray<double>());
    }

    [Fact]
    public void AnUnsupportedDTypeIsATypedErrorWhenTheNodeIsBuilt()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2), DType.Float64);
        var e = Assert.Throws<DTypeNotSupportedException>(() => g.Apply(new SingleOnlyOp(), [x], "narrow"));
        Assert.Contains("SingleOnly 'narrow'", e.Message);
        Assert.Contains("does not support dtype double", e.Message);
        Assert.Contains("it supports float", e.Message);
        Assert.Contains("Cast", e.Message);
    }
}
