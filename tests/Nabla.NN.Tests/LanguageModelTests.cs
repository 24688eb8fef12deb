namespace Nabla.NN.Tests;

/// <summary>The character language model on the shipped word list: data, count baselines, and a short training run that beats the bigram.</summary>
public class LanguageModelTests
{
    [Fact]
    public void CorpusWrapsEachWordInSeparatorsAndBuildsTheVocabularyFromTrainingWords()
    {
        var corpus = WordCorpus.Load(Shipped.Words, validationFraction: 0.1, seed: 1);
        Assert.Equal(63875, corpus.TrainWords + corpus.ValidationWords);
        Assert.Equal(27, corpus.Vocabulary.Count); // '\n' and a-z
        Assert.Equal('\n', corpus.Vocabulary.Characters[0]);
        Assert.Equal(0, corpus.Train[0]);
        Assert.Equal(0, corpus.Train[^1]);
        Assert.Equal(corpus.TrainWords + 1, corpus.Train.Count(id => id == 0));
    }

    [Fact]
    public void BaselinesAreSmoothedCountsInNats()
    {
        // Stream "\nab\nab\n": counts \n:3 a:2 b:2; pairs \n→a 2, a→b 2, b→\n 2.
        var v = new CharVocabulary("ab");
        var stream = WordCorpus.Encode(["ab", "ab"], v);
        var baselines = new NgramBaselines(stream, 3);
        double unigramA = Math.Log(3.0 / 10), unigramB = Math.Log(3.0 / 10), unigramSep = Math.Log(4.0 / 10);
        Assert.Equal(-(unigramA + unigramB + unigramSep) / 3, baselines.Unigram(stream, 1, 4), 12);
        double pairs = Math.Log(3.0 / 5); // each row: 2 counts + 1, over 2 + 3
        Assert.Equal(-pairs, baselines.Bigram(stream, 1, 7), 12);
    }

    [Fact]
    public void UnknownCharactersAndMissingFilesAreTypedErrors()
    {
        Assert.Throws<DatasetException>(() => new CharVocabulary("ab").Id('z'));
        Assert.Throws<DatasetException>(() => WordCorpus.Load("no-such-words.txt"));
    }

    [Fact]
    public void AShortTrainingRunBeatsTheBigramBaseline()
    {
        using var lm = TrainedPastTheBigram("transformer", vocabulary => new CharLanguageModel(
            new CharTransformerConfig(vocabulary, Context: 12, Width: 32, Layers: 1, Heads: 4, Seed: 2),
            new Adam(LearningRateSchedule.WarmupCosine(1e-2, 20, 300)) { ClipNorm = 1 }), steps: 300);
    }

    /// <summary>
    /// A model made by <paramref name="create"/> for the shipped words' vocabulary, trained <paramref name="steps"/>
    /// batches of 32: untrained it is worse than unigram counts, trained its validation loss is below bigram counts',
    /// and it samples a word of letters.
    /// </summary>
    private static CharLanguageModel TrainedPastTheBigram(string what, Func<int, CharLanguageModel> create, int steps)
    {
        var corpus = WordCorpus.Load(Shipped.Words, validationFraction: 0.05, seed: 3, limit: 8000);
        var lm = create(corpus.Vocabulary.Count);
        var (first, end) = CharLanguageModel.EvaluatedTargets(corpus.Validation.Length, lm.Model.Context);
        var baselines = new NgramBaselines(corpus.Train, corpus.Vocabulary.Count);
        double bigram = baselines.Bigram(corpus.Validation, first, end), unigram = baselines.Unigram(corpus.Validation, first, end);
        Assert.True(bigram < unigram);
        double before = lm.Evaluate(corpus.Validation);
        Assert.True(before > unigram, $"untrained loss {before:F4} should be above the unigram's {unigram:F4}");
        var random = new Random(4);
        for (int i = 0; i < steps; i++) lm.TrainStep(corpus.Train, 32, random);
        double after = lm.Evaluate(corpus.Validation);
        Assert.True(after < bigram, $"validation loss {after:F4} nats/char is not below the bigram's {bigram:F4} (unigram {unigram:F4})");
        Console.WriteLine($"short {what} run: validation {after:F4} nats/char (untrained {before:F4}), bigram {bigram:F4}, unigram {unigram:F4}");
        var word = lm.SampleWord(corpus.Vocabulary, new Random(5));
        Assert.All(word, c => Assert.InRange(c, 'a', 'z'));
        return lm;
    }

    [Fact]
    public void ATrainingStepAllocatesNothingOnceWarmAndStillLearns()
    {
        var random = new Random(3);
        var stream = Enumerable.Range(0, 2000).Select(i => i % 5 == 4 ? 0 : 1 + (i * 7 + i / 5) % 26).ToArray();
        using var lm = new CharLanguageModel(new CharTransformerConfig(27, 8, 16, 1, 2), new AdamW(3e-3) { ClipNorm = 1 });
        double first = lm.TrainStep(stream, 8, random);
        for (int i = 0; i < 20; i++) lm.TrainStep(stream, 8, random);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) lm.TrainStep(stream, 8, random);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated in 5 warm training steps");
        for (int i = 0; i < 60; i++) lm.TrainStep(stream, 8, random);
        Assert.True(lm.TrainStep(stream, 8, random) < first - 0.5, "the loss did not fall");
        Assert.Equal(87, lm.Step);
        // Another batch size gets buffers of its own.
        Assert.True(double.IsFinite(lm.TrainStep(stream, 3, random)));
    }

    [Fact]
    public void AShortLstmTrainingRunBeatsTheBigramBaseline()
    {
        using var lm = TrainedPastTheBigram("LSTM", vocabulary => new CharLanguageModel(
            new CharLstmConfig(vocabulary, Context: 12, Embedding: 16, Hidden: 64, Seed: 2),
            new Adam(LearningRateSchedule.WarmupCosine(1e-2, 20, 200)) { ClipNorm = 1 }), steps: 200);
        Assert.Throws<InvalidGraphArgumentException>(() => lm.Attention([0, 1], 0));
    }
}
