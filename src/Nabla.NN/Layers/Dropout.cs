namespace Nabla.NN;

/// <summary>In training, zeroes each element with probability <c>rate</c> and scales the rest by 1/(1−rate); the identity at inference.</summary>
public sealed class Dropout(double rate) : Layer
{
    /// <summary>The probability that an element is zeroed in training, in [0, 1).</summary>
    public double Rate { get; } = rate is >= 0 and < 1 ? rate : throw new InvalidGraphArgumentException($"Dropout: rate must be in [0, 1), got {rate}.");

    /// <inheritdoc/>
    protected override string Settings => $"rate={Rate}";

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training) => training && Rate > 0 ? x.Dropout(Rate, Seed) : x;
}
