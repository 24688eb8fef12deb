namespace Nabla.NN;

/// <summary>The learning rate as a function of the step (0-based count of training steps taken).</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="step"/>.</summary>
    public abstract double At(int step);

    /// <summary>The same rate at every step.</summary>
    public static LearningRateSchedule Constant(double rate) => new ConstantSchedule(rate);

    /// <summary>rate·decay^(step/decaySteps), with an integer exponent when <paramref name="staircase"/>.</summary>
    public static LearningRateSchedule Exponential(double rate, double decay, int decaySteps, bool staircase = false) =>
        new ExponentialSchedule(rate, decay, decaySteps, staircase);

    /// <summary>rate·(α + (1−α)·½(1 + cos(π·min(step, totalSteps)/totalSteps))): from rate down to α·rate.</summary>
    public static LearningRateSchedule Cosine(double rate, int totalSteps, double alpha = 0) => new CosineSchedule(rate, totalSteps, alpha);

    private sealed class ConstantSchedule(double rate) : LearningRateSchedule
    {
        public override double At(int step) => rate;

        public override string ToString() => $"{rate}";
    }

    private sealed class ExponentialSchedule(double rate, double decay, int decaySteps, bool staircase) : LearningRateSchedule
    {
        private readonly int _decaySteps = decaySteps > 0 ? decaySteps : throw new InvalidGraphArgumentException($"Exponential schedule: decaySteps must be positive, got {decaySteps}.");

        public override string ToString() => $"exponential(rate={rate}, decay={decay}, decaySteps={_decaySteps}, staircase={(staircase ? "true" : "false")})";

        public override double At(int step)
        {
            double p = (double)step / _decaySteps;
            return rate * Math.Pow(decay, staircase ? Math.Floor(p) : p);
        }
    }

    private sealed class CosineSchedule(double rate, int totalSteps, double alpha) : LearningRateSchedule
    {
        private readonly int _total = totalSteps > 0 ? totalSteps : throw new InvalidGraphArgumentException($"Cosine schedule: totalSteps must be positive, got {totalSteps}.");

        public override string ToString() => $"cosine(rate={rate}, totalSteps={_total}, alpha={alpha})";

        public override double At(int step)
        {
            double t = Math.Min(step, _total) / (double)_total;
            return rate * (alpha + (1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * t)));
        }
    }
}
