namespace Nabla.NN;

/// <summary>
/// Examples for classification: features as float32 (one row of <see cref="ExampleShape"/> per example)
/// and integer class labels.
/// </summary>
public sealed class Dataset
{
    /// <summary>Examples from <paramref name="features"/> (row-major, one block of <paramref name="exampleShape"/> per example) and one label per example; throws <see cref="DatasetMismatchException"/> when the sizes disagree.</summary>
    public Dataset(float[] features, int[] exampleShape, byte[] labels)
    {
        int size = exampleShape.Aggregate(1, (a, b) => a * b);
        if (size <= 0 || features.Length != labels.Length * size)
            throw new DatasetMismatchException($"Dataset: {features.Length} feature values do not make {labels.Length} examples of shape [{string.Join(", ", exampleShape)}].");
        Features = features;
        ExampleShape = exampleShape;
        Labels = labels;
    }

    /// <summary>Every example's features, one after another (Count × ExampleSize values).</summary>
    public float[] Features { get; }
    /// <summary>The shape of one example, e.g. [784] or [1, 28, 28].</summary>
    public int[] ExampleShape { get; }
    /// <summary>The class of each example.</summary>
    public byte[] Labels { get; }
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
    /// and a label tensor [count] of float class ids.
    /// </summary>
    public (Tensor X, Tensor Y) Batch(int[] order, int start, int count)
    {
        int size = ExampleSize;
        var x = new float[count * size];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            int e = order[start + i];
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
