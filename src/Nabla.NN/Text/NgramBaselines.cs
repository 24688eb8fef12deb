namespace Nabla.NN;

/// <summary>
/// Count-based baselines for a character stream, in nats per character: the unigram model p(c) and the bigram model
/// p(c | previous c), each from training counts with add-one (Laplace) smoothing so unseen pairs keep a finite loss.
/// </summary>
public sealed class NgramBaselines
{
    private readonly double[] _unigram;
    private readonly double[,] _bigram;

    /// <summary>Counts the characters and pairs of <paramref name="train"/> (ids below <paramref name="vocabulary"/>).</summary>
    public NgramBaselines(ReadOnlySpan<int> train, int vocabulary)
    {
        var unigram = new double[vocabulary];
        var bigram = new double[vocabulary, vocabulary];
        for (int i = 0; i < train.Length; i++)
        {
            unigram[train[i]]++;
            if (i > 0) bigram[train[i - 1], train[i]]++;
        }
        _unigram = new double[vocabulary];
        double total = train.Length + vocabulary;
        for (int c = 0; c < vocabulary; c++) _unigram[c] = Math.Log((unigram[c] + 1) / total);
        _bigram = new double[vocabulary, vocabulary];
        for (int a = 0; a < vocabulary; a++)
        {
            double row = vocabulary;
            for (int b = 0; b < vocabulary; b++) row += bigram[a, b];
            for (int b = 0; b < vocabulary; b++) _bigram[a, b] = Math.Log((bigram[a, b] + 1) / row);
        }
    }

    /// <summary>The mean of −log p(stream[t]) over the targets t in [first, end).</summary>
    public double Unigram(ReadOnlySpan<int> stream, int first, int end)
    {
        double sum = 0;
        for (int t = first; t < end; t++) sum -= _unigram[stream[t]];
        return sum / (end - first);
    }

    /// <summary>The mean of −log p(stream[t] | stream[t − 1]) over the targets t in [first, end), first ≥ 1.</summary>
    public double Bigram(ReadOnlySpan<int> stream, int first, int end)
    {
        double sum = 0;
        for (int t = Math.Max(1, first); t < end; t++) sum -= _bigram[stream[t - 1], stream[t]];
        return sum / (end - Math.Max(1, first));
    }
}
