using System.Text.Json;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>Reads a checkpoint written by <c>nabla lm train</c> back into a model, with its vocabulary and data split.</summary>
internal static class LmCheckpoint
{
    public const double ValidationFraction = 0.1;

    public static string Metadata(CharModel model, WordCorpus corpus, int dataSeed, int? limit) =>
        JsonSerializer.Serialize(new LmCheckpointInfo(model.Kind, (model as CharTransformer)?.Config is { } t ? CharTransformerConfigJson.From(t) : null,
            corpus.Vocabulary.ToString(), corpus.Path, ValidationFraction, dataSeed, limit, (model as CharLstm)?.Config is { } l ? CharLstmConfigJson.From(l) : null));

    /// <summary>The model restored from <paramref name="path"/>, and what the checkpoint says about its data.</summary>
    public static (CharLanguageModel Model, CharVocabulary Vocabulary, LmCheckpointInfo Info) Load(string path)
    {
        var saved = Checkpoint.Read(path);
        LmCheckpointInfo? info = null;
        try { info = JsonSerializer.Deserialize<LmCheckpointInfo>(saved.Metadata); }
        catch (JsonException) { }
        if (info?.Model is null || info.Vocabulary is null)
            throw new CheckpointMismatchException($"Checkpoint '{path}' was not written by 'nabla lm train' (its metadata holds no language model); train one with 'nabla lm train'.");
        var model = new CharLanguageModel(info.CreateModel(path));
        saved.Restore(model.Session, model.Model.Variables);
        return (model, new CharVocabulary(info.Vocabulary), info);
    }

    /// <summary>The corpus the checkpoint was trained on (or <paramref name="data"/>), split as in training, checked against the model's vocabulary.</summary>
    public static WordCorpus Corpus(LmCheckpointInfo info, string? data, CharVocabulary vocabulary)
    {
        var corpus = WordCorpus.Load(data ?? info.Data, info.ValidationFraction, info.DataSeed, info.Limit);
        if (corpus.Vocabulary.ToString() != vocabulary.ToString())
            throw new DatasetException($"The words of '{corpus.Path}' have the characters \"{Escape(corpus.Vocabulary)}\" but the model knows \"{Escape(vocabulary)}\"; evaluate with the word list it was trained on.");
        return corpus;
    }

    private static string Escape(CharVocabulary v) => v.ToString().Replace("\n", "\\n");
}
