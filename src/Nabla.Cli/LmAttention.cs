using Nabla.NN;

namespace Nabla.Cli;

/// <summary>The attention heatmap of <c>--attention-png</c>: block 0, head 0 on a word preceded by the separator.</summary>
internal static class LmAttention
{
    /// <summary>The ids of the first word of a stream, with the separators around it, cut to the context.</summary>
    public static int[] FirstWord(int[] stream, int context)
    {
        int end = Array.IndexOf(stream, 0, 1);
        return stream[..Math.Min(context, end < 0 ? stream.Length : end + 1)];
    }

    public static void Draw(string path, CharLanguageModel lm, CharVocabulary vocabulary, int[] ids)
    {
        var weights = lm.Attention(ids, layer: 0);
        var text = new string(ids.Take(weights.GetLength(1)).Select(i => vocabulary.Characters[i]).ToArray());
        AttentionPlot.Save(path, weights, head: 0, layer: 0, text);
    }
}
