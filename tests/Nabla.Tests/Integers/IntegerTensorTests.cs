namespace Nabla.Tests.Integers;

/// <summary>int32, int64 and bool tensors: factories, element access, casts against C#'s own conversions, printing and raw bytes.</summary>
public class IntegerTensorTests
{
    [Fact]
    public void FactoriesKeepTheElementTypeAndValues()
    {
        var i = Tensor.FromArray(new[] { 1, -2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(DType.Int32, i.DType);
        Assert.Equal(-2, i[0, 1]);
        Assert.Equal(new[] { 1, -2, 3, 4, 5, 6 }, i.ToArray<int>());
        var l = Tensor.FromArray(new[] { long.MaxValue, long.MinValue });
        Assert.Equal(DType.Int64, l.DType);
        Assert.Equal(new[] { long.MaxValue, long.MinValue }, l.ToArray<long>());
        var b = Tensor.FromArray(new[] { true, false, true });
        Assert.Equal(DType.Bool, b.DType);
        Assert.Equal(new[] { 1.0, 0, 1 }, b.ToArray<double>());
        Assert.Equal(7, Tensor.Fill(new Shape(2), 7.9, DType.Int32).ToArray<int>()[1]);
        Assert.Equal(new[] { true, true }, Tensor.Ones(new Shape(2), DType.Bool).ToArray<bool>());
        i[1, 2] = 42.7;
        Assert.Equal(42, i.ToArray<int>()[5]);
        Assert.Throws<DTypeMismatchException>(() => i.AsSpan<float>());
        Assert.Equal(3, i.AsSpan<int>()[2]);
    }

    [Fact]
    public void CastsFollowTensorFlow()
    {
        double[] values = [2.9, -2.9, 0.0, -0.0, 0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 3e9, -3e9, 1e30];
        var x = Tensor.FromArray(values);
        // Independent reference: truncation toward zero with saturation, NaN to 0 (C#'s checked logic written out).
        static long Saturate(double v, long lo, long hi) => double.IsNaN(v) ? 0 : v >= hi ? hi : v <= lo ? lo : (long)Math.Truncate(v);
        Assert.Equal(values.Select(v => (int)Saturate(v, int.MinValue, int.MaxValue)), x.Cast(DType.Int32).ToArray<int>());
        Assert.Equal(values.Select(v => Saturate(v, long.MinValue, long.MaxValue)), x.Cast(DType.Int64).ToArray<long>());
        Assert.Equal(values.Select(v => v != 0 || double.IsNaN(v)), x.Cast(DType.Bool).ToArray<bool>());
        Assert.Equal(new[] { 1f, 0f, 1f }, Tensor.FromArray(new[] { true, false, true }).Cast(DType.Float32).ToArray<float>());
        Assert.Equal(new[] { 16777217L }, Tensor.FromArray(new[] { 16777217L }).Cast(DType.Int64).ToArray<long>());
        Assert.Equal(new[] { 16777216f }, Tensor.FromArray(new[] { 16777217 }).Cast(DType.Float32).ToArray<float>());
        // int64 to int32 keeps the low 32 bits, as TensorFlow and NumPy.
        Assert.Equal(new[] { -1, 1 }, Tensor.FromArray(new[] { (long)uint.MaxValue, (1L << 32) + 1 }).Cast(DType.Int32).ToArray<int>());
    }

    [Fact]
    public void PrintsIntegersExactlyAndBoolsAsWords()
    {
        Assert.Equal("[[1, -2], [3, 4]]", Tensor.FromArray(new[] { 1, -2, 3, 4 }, 2, 2).FormatValues());
        Assert.Equal("[9007199254740993]", Tensor.FromArray(new[] { 9007199254740993L }).FormatValues("G6")); // integers stay exact
        Assert.Equal("[true, false]", Tensor.FromArray(new[] { true, false }).FormatValues());
        Assert.Equal("tensor([[ 1, -2],\n        [ 3,  4]], shape=[2, 2], dtype=int32)", Tensor.FromArray(new[] { 1, -2, 3, 4 }, 2, 2).ToString());
        Assert.Equal("tensor([true, false], shape=[2], dtype=bool)", Tensor.FromArray(new[] { true, false }).ToString());
    }

    [Fact]
    public void RawBytesRoundTripAndBadBoolsAreRefused()
    {
        foreach (var t in new[] { Tensor.FromArray(new[] { 1, -7 }), Tensor.FromArray(new[] { 5L, -9L }), Tensor.FromArray(new[] { false, true }), Tensor.FromArray(new[] { 0.5f, -1f }) })
        {
            var back = Tensor.FromBytes(t.AsBytes(), t.Shape, t.DType);
            Assert.Equal(t.ToString(), back.ToString());
            Assert.Equal(t.Size * t.DType.ByteSize(), t.AsBytes().Length);
        }
        Assert.Equal(new byte[] { 0xF9, 0xFF, 0xFF, 0xFF }, Tensor.FromArray(new[] { -7 }).AsBytes().ToArray());
        var e = Assert.Throws<InvalidGraphArgumentException>(() => Tensor.FromBytes(new byte[] { 0, 2 }, new Shape(2), DType.Bool));
        Assert.Contains("byte 1", e.Message);
        Assert.Throws<ShapeMismatchException>(() => Tensor.FromBytes(new byte[3], new Shape(1), DType.Int32));
    }
}
