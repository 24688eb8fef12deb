using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// A fresh inverted-dropout mask shaped like its input on every run: each element is 1/(1 − rate) with probability
/// 1 − rate, else 0. Draw k of a node depends only on (seed, k), so a graph rebuilt with the same seed repeats
/// the same masks; concurrent runs each take their own draw number. A random constant: no gradient.
/// </summary>
internal sealed class DropoutMaskOp(double rate, int seed) : Op
{
    private long _draws;

    public double Rate { get; } = rate;
    public int Seed { get; } = seed;
    public override string Type => "DropoutMask";
    public override string Attributes => $"rate={Rate}, seed={Seed}";
    internal DropoutMaskOp(OpAttributes a) : this(a.Double("rate"), a.Int("seed")) { }
    public override void WriteAttributes(OpAttributes a) => a.Set("rate", Rate).Set("seed", Seed);
    public override Shape InferShape(Node node, Shape[] inputShapes) => inputShapes[0];

    protected override void Forward<T>(ReadOnlySpan<Tensor> inputs, Tensor output)
    {
        ulong key = DropoutMask.Key(Seed, Interlocked.Increment(ref _draws) - 1);
        DropoutMask.Fill(output.Span<T>(), Rate, key);
    }

    public override Node?[] Vjp(Node node, Node dy) => [null];
    public override Node? Jvp(Node node, Node?[] tangents) => null;
}

public sealed partial class Node
{
    /// <summary>
    /// Training-time inverted dropout: x·mask, where a new seeded mask (DropoutMask) zeroes each element with probability
    /// <paramref name="rate"/> and scales the rest by 1/(1 − rate) on every run. The gradient is dy·mask, using the same
    /// run's mask. For inference, leave the op out (rate 0 returns this node).
    /// </summary>
    public Node Dropout(double rate, int seed)
    {
        if (!(rate >= 0 && rate < 1))
            throw new InvalidGraphArgumentException($"Dropout on '{Name}' {Shape}: rate {rate} must be in [0, 1).");
        if (rate == 0) return this;
        return this * Graph.Apply(new DropoutMaskOp(rate, seed), [this], "DropoutMask");
    }
}
