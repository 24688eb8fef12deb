namespace Nabla.NN;

/// <summary>
/// Draws a layer's initial weights from a seeded distribution whose scale depends on the fan-in and
/// fan-out (LeCun et al., "Efficient BackProp"; Glorot and Bengio 2010; He et al. 2015).
/// </summary>
public abstract class Initializer
{
    /// <summary>A tensor of <paramref name="shape"/> for a weight with the given fans, reproducible for a seed.</summary>
    public abstract Tensor Create(Shape shape, int fanIn, int fanOut, int seed, DType dtype = DType.Float32);

    /// <summary>Normal with stddev √(1/fan_in): unit output variance for unit-variance inputs (suits tanh, SELU).</summary>
    public static Initializer LeCunNormal { get; } = new Scaled(1, FanMode.In, uniform: false);
    /// <summary>Uniform in ±√(3/fan_in).</summary>
    public static Initializer LeCunUniform { get; } = new Scaled(1, FanMode.In, uniform: true);
    /// <summary>Normal with stddev √(2/(fan_in + fan_out)).</summary>
    public static Initializer GlorotNormal { get; } = new Scaled(1, FanMode.Average, uniform: false);
    /// <summary>Uniform in ±√(6/(fan_in + fan_out)) (Xavier).</summary>
    public static Initializer GlorotUniform { get; } = new Scaled(1, FanMode.Average, uniform: true);
    /// <summary>Normal with stddev √(2/fan_in): keeps the variance through ReLU layers.</summary>
    public static Initializer HeNormal { get; } = new Scaled(2, FanMode.In, uniform: false);
    /// <summary>Uniform in ±√(6/fan_in).</summary>
    public static Initializer HeUniform { get; } = new Scaled(2, FanMode.In, uniform: true);
    /// <summary>All zeros (biases).</summary>
    public static Initializer Zeros { get; } = new ConstantInitializer(0);
    /// <summary>All ones (batch-normalization scales).</summary>
    public static Initializer Ones { get; } = new ConstantInitializer(1);

    private enum FanMode { In, Average }

    /// <summary>Variance scale/fan, where fan is fan_in or the mean of fan_in and fan_out.</summary>
    private sealed class Scaled(double scale, FanMode mode, bool uniform) : Initializer
    {
        public override Tensor Create(Shape shape, int fanIn, int fanOut, int seed, DType dtype = DType.Float32)
        {
            double fan = mode == FanMode.In ? fanIn : (fanIn + fanOut) / 2.0;
            if (fan <= 0)
                throw new InvalidGraphArgumentException($"Initializer for shape {shape}: fan_in {fanIn} and fan_out {fanOut} must be positive.");
            double stddev = Math.Sqrt(scale / fan);
            if (!uniform) return Tensor.RandomNormal(shape, seed, 0, stddev, dtype);
            double limit = Math.Sqrt(3) * stddev;
            return Tensor.RandomUniform(shape, seed, -limit, limit, dtype);
        }
    }

    private sealed class ConstantInitializer(double value) : Initializer
    {
        public override Tensor Create(Shape shape, int fanIn, int fanOut, int seed, DType dtype = DType.Float32) => Tensor.Fill(shape, value, dtype);
    }
}
