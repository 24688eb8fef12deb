namespace Nabla.Tests;

public class GradientCheckTests
{
    /// <summary>Doubles its input, but claims the derivative is 3 in both modes: a rule GradientCheck must catch.</summary>
    private sealed class WrongDerivativeOp : Op
    {
        public override string Type => "WrongDerivative";
        public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor output)
        {
            for (int i = 0; i < output.Size; i++) output[Unflat(output.Shape, i)] = 2 * inputs[0][Unflat(output.Shape, i)];
        }
        public override Node?[] Vjp(Node node, Node dy) => [dy * 3.0];
        public override Node? Jvp(Node node, Node?[] tangents) => tangents[0] is null ? null : tangents[0]! * 3.0;

        private static int[] Unflat(Shape shape, int flat)
        {
            var idx = new int[shape.Rank];
            for (int k = shape.Rank - 1; k >= 0; k--) { idx[k] = flat % shape[k]; flat /= shape[k]; }
            return idx;
        }
    }

    [Theory]
    [InlineData(JacobianMode.Reverse)]
    [InlineData(JacobianMode.Forward)]
    public void JacobianOfAMatrixProductIsTheMatrix(JacobianMode mode)
    {
        var g = new Graph();
        var a = Tensor.RandomNormal(new Shape(3, 4), 1, dtype: DType.Float64);
        var x = g.Placeholder("x", new Shape(4, 1), DType.Float64);
        var y = g.Constant(a).MatMul(x);
        var check = GradientCheck.Compute(y, [x], new Feeds { [x] = Tensor.RandomNormal(new Shape(4, 1), 2, dtype: DType.Float64) },
            new GradientCheckOptions { Mode = mode });
        Assert.Equal(new Shape(3, 4), check.Theoretical[0].Shape);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(a[i, j], check.Theoretical[0][i, j], 12);
                Assert.True(Math.Abs(a[i, j] - check.Numeric[0][i, j]) < 1e-8);
            }
        Assert.True(check.MaxAbsError < 1e-8);
    }

    [Theory]
    [InlineData(JacobianMode.Reverse)]
    [InlineData(JacobianMode.Forward)]
    public void AWrongDerivativeRuleIsReported(JacobianMode mode)
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2, 2), DType.Float64);
        var y = g.Apply(new WrongDerivativeOp(), [x]);
        var check = GradientCheck.Compute(y, [x], new Feeds { [x] = Tensor.RandomNormal(new Shape(2, 2), 3, dtype: DType.Float64) },
            new GradientCheckOptions { Mode = mode });
        Assert.Equal(1, check.MaxAbsError, 6);
        Assert.Equal(2, check.Numeric[0][0, 0], 6);
        Assert.Equal(3, check.Theoretical[0][0, 0], 12);
    }

    [Fact]
    public void Float32InputsUseAWiderStepAndLeaveTheFeedsAlone()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(3));
        var value = Tensor.FromArray(new float[] { 0.5f, -1, 2 }, 3);
        var check = GradientCheck.Compute(x.Square().Sum(), [x], new Feeds { [x] = value });
        Assert.Equal([0.5f, -1, 2], value.ToArray<float>());
        Assert.True(check.MaxRelError < 1e-3, $"error {check.MaxRelError}");
        Assert.Equal(-2, check.Numeric[0][0, 1], 2);
    }

    [Fact]
    public void AnXThatIsNotFedIsAnError()
    {
        var g = new Graph();
        var x = g.Placeholder("x", new Shape(2));
        var ex = Assert.Throws<GradientException>(() => GradientCheck.Compute(x.Exp(), [x], new Feeds()));
        Assert.Contains("'x'", ex.Message);
    }
}
