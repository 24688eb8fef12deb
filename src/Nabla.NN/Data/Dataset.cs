namespace Nabla.NN;

/// <summary>
/// Examples for classification: features as float32 (one row of <see cref="ExampleShape"/> per example)
/// and integer class labels (0 up to any number of classes).
/// </summary>
public sealed class Dataset
{
    /// <summary>Examples from <paramref name="features"/> (row-major, one block of <paramref name="exampleShape"/> per example) and one label per example; throws <see cref="DatasetMismatchException"/> when the sizes disagree.</summary>
    public Dataset(float[] features, int[] exampleShape, int[] labels)
    {
        int size = exampleShape.Aggregate(1, (a, b) => a * b);
        if (size <= 0 || features.Length != labels.Length * size)
            throw new DatasetMismatchException($"Dataset: {features.Length} feature values do not make {labels.Length} examples of shape [{string.Join(", ", exampleShape)}].");
        int negative = Array.FindIndex(labels, l => l < 0);
        if (negative >= 0)
            throw new DatasetMismatchException($"Dataset: label {negative} is {labels[negative]}; class labels are 0 or more.");
        Features = features;
        ExampleShape = exampleShape;
        Labels = labels;
    }

    /// <summary>Every example's features, one after another (Count × ExampleSize values).</summary>
    public float[] Features { get; }
    /// <summary>The shape of one example, e.g. [784] or [1, 28, 28].</summary>
    public int[] ExampleShape { get; }
    /// <summary>The class of each example, 0 or more.</summary>
    public int[] Labels { get; }
    /// <summary>The number of examples.</summary>
    public int Count => Labels.Length;
    /// <summary>The number of feature values per example.</summary>
    public int ExampleSize => Features.Length / Math.Max(1, Count);

    /// <summary>The first <paramref name="count"/> examples (all when larger than <see cref="Count"/>).</summary>
    public Dataset Take(int count)
    {
        count = Math.Clamp(count, 0, Count);
        return new Dataset(Features[..(count * ExampleSize)], ExampleShape, Labels[..count]);
    }

    /// <summary>The same examples with each feature row reshaped to <paramref name="exampleShape"/> of equal size.</summary>
    public Dataset Reshape(params int[] exampleShape) => new(Features, exampleShape, Labels);

    /// <summary>The mean and standard deviation of all feature values (for <see cref="Standardize"/>).</summary>
    public (double Mean, double Std) Moments()
    {
        double sum = 0, sumSq = 0;
        foreach (float f in Features) { sum += f; sumSq += (double)f * f; }
        double mean = sum / Features.Length;
        return (mean, Math.Sqrt(Math.Max(sumSq / Features.Length - mean * mean, 1e-12)));
    }

    /// <summary>
    /// The examples at <paramref name="order"/>[start .. start+count) as a feature tensor [count, ...shape]
    /// and an int32 label tensor [count] of class ids.
    /// </summary>
    public (Tensor X, Tensor Y) Batch(int[] order, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (start < 0 || count < 0 || (long)start + count > order.Length)
            throw new DatasetMismatchException($"Dataset.Batch: examples {start} to {(long)start + count - 1} are outside the order of {order.Length} examples; keep start + count ≤ {order.Length}.");
        int size = ExampleSize;
        var x = new float[count * size];
        var y = new int[count];
        for (int i = 0; i < count; i++)
        {
            int e = order[start + i];
            if ((uint)e >= (uint)Count)
                throw new DatasetMismatchException($"Dataset.Batch: order[{start + i}] is {e}, not an example index in [0, {Count}).");
            Features.AsSpan(e * size, size).CopyTo(x.AsSpan(i * size, size));
            y[i] = Labels[e];
        }
        return (Tensor.FromArray(x, [count, .. ExampleShape]), Tensor.FromArray(y, count));
    }

    /// <summary>0, 1, ..., Count−1.</summary>
    public int[] Sequence() => Enumerable.Range(0, Count).ToArray();

    /// <summary>A permutation of the examples from a seeded Fisher–Yates shuffle, reproducible for one <paramref name="random"/> state.</summary>
    public int[] Shuffled(Random random)
    {
        var order = Sequence();
        random.Shuffle(order);
        return order;
    }
}
