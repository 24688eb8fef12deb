namespace Nabla.NN;

/// <summary>
/// A list of words (one a line) as a character stream for a language model: the words, shuffled with a seed and split
/// into training and validation, are written out as "\nword\nword\n…" and encoded with a <see cref="CharVocabulary"/>
/// built from the training words.
/// </summary>
public sealed class WordCorpus
{
    private WordCorpus(string path, CharVocabulary vocabulary, int[] train, int[] validation, int trainWords, int validationWords)
    {
        (Path, Vocabulary, Train, Validation, TrainWords, ValidationWords) = (path, vocabulary, train, validation, trainWords, validationWords);
    }

    /// <summary>The file the words came from.</summary>
    public string Path { get; }
    /// <summary>The characters of the training words, and the separator.</summary>
    public CharVocabulary Vocabulary { get; }
    /// <summary>The training stream of ids, starting and ending with the separator.</summary>
    public int[] Train { get; }
    /// <summary>The validation stream of ids, starting and ending with the separator.</summary>
    public int[] Validation { get; }
    /// <summary>The number of training words.</summary>
    public int TrainWords { get; }
    /// <summary>The number of validation words.</summary>
    public int ValidationWords { get; }

    /// <summary>
    /// Reads the words of <paramref name="path"/> (blank lines skipped, surrounding spaces trimmed), shuffles them with
    /// <paramref name="seed"/> and keeps <paramref name="validationFraction"/> of them for validation.
    /// Characters of validation words missing from the training words are a <see cref="DatasetException"/>.
    /// </summary>
    public static WordCorpus Load(string path, double validationFraction = 0.1, int seed = 0, int? limit = null)
    {
        if (!File.Exists(path))
            throw new DatasetException($"The word list '{path}' does not exist. The shipped list is data/words/words.txt (scripts/get-words.sh rebuilds it).");
        if (validationFraction is <= 0 or >= 1)
            throw new DatasetException($"The validation fraction must be in (0, 1), got {validationFraction}.");
        var words = File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        new Random(seed).Shuffle(words);
        if (limit is int n) words = words.Take(n).ToArray();
        int validationCount = (int)Math.Round(words.Length * validationFraction);
        if (validationCount < 1 || validationCount >= words.Length)
            throw new DatasetException($"'{path}' has {words.Length} words; a language model needs at least 2 (one to train on, one to validate).");
        var train = words[validationCount..];
        var validation = words[..validationCount];
        var vocabulary = new CharVocabulary(train.SelectMany(w => w));
        return new WordCorpus(path, vocabulary, Encode(train, vocabulary), Encode(validation, vocabulary), train.Length, validation.Length);
    }

    /// <summary>"\n" + each word + "\n", as ids.</summary>
    public static int[] Encode(IEnumerable<string> words, CharVocabulary vocabulary)
    {
        var ids = new List<int> { 0 };
        foreach (var word in words)
        {
            foreach (char c in word) ids.Add(vocabulary.Id(c));
            ids.Add(0);
        }
        return ids.ToArray();
    }
}
