namespace Nabla.NN;

/// <summary>The characters of a text, each with an id: id 0 is the separator '\n' that ends every word, the rest in ordinal order.</summary>
public sealed class CharVocabulary
{
    /// <summary>The separator between words (id 0).</summary>
    public const char Separator = '\n';

    private readonly Dictionary<char, int> _ids;

    /// <summary>A vocabulary of <paramref name="characters"/> (the separator is added when missing).</summary>
    public CharVocabulary(IEnumerable<char> characters)
    {
        Characters = characters.Where(c => c != Separator).Distinct().Order().Prepend(Separator).ToArray();
        _ids = Characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The characters by id.</summary>
    public IReadOnlyList<char> Characters { get; }

    /// <summary>The number of ids.</summary>
    public int Count => Characters.Count;

    /// <summary>The id of <paramref name="c"/>; a character outside the vocabulary is a <see cref="DatasetException"/>.</summary>
    public int Id(char c) => _ids.TryGetValue(c, out int id) ? id
        : throw new DatasetException($"The character '{c}' (U+{(int)c:X4}) is not in the vocabulary of {Count} characters; it was not in the training text.");

    /// <summary>The characters as a string, e.g. to store in a checkpoint.</summary>
    public override string ToString() => new(Characters.ToArray());
}
