using System.CommandLine;
using System.CommandLine.Help;

namespace Nabla.Cli;

/// <summary><c>nabla lm</c>: the character-level language model's verbs (train, sample, eval); alone it shows them.</summary>
internal sealed class LmCommand : NablaCommand
{
    public override Command Create()
    {
        var command = new Command("lm", "A character-level language model (transformer or LSTM) on a word list (the shipped data/words/words.txt by default): train it, sample words, evaluate it.");
        command.SetAction(parse =>
        {
            new HelpAction().Invoke(parse);
            return 1;
        });
        return command;
    }
}

/// <summary>What <c>nabla lm train</c> stores in its checkpoint, so that sample and eval rebuild the model and the same data split.</summary>
/// <remarks>Model is "transformer" (with <see cref="Config"/>) or "lstm" (with <see cref="Lstm"/>).</remarks>
internal sealed record LmCheckpointInfo(string Model, CharTransformerConfigJson? Config, string Vocabulary, string Data, double ValidationFraction, int DataSeed, int? Limit,
    CharLstmConfigJson? Lstm = null)
{
    /// <summary>The model the checkpoint describes, not yet applied; a clear error when the metadata lacks its shape.</summary>
    public Nabla.NN.CharModel CreateModel(string path) => Model switch
    {
        "transformer" when Config is not null => new Nabla.NN.CharTransformer(Config.ToConfig()),
        "lstm" when Lstm is not null => new Nabla.NN.CharLstm(Lstm.ToConfig()),
        _ => throw new Nabla.NN.CheckpointMismatchException($"Checkpoint '{path}' holds a language model of kind '{Model}' without its shape; 'nabla lm' reads transformer and lstm checkpoints written by 'nabla lm train'."),
    };
}

/// <summary>The model's shape as stored in the checkpoint.</summary>
internal sealed record CharTransformerConfigJson(int Vocabulary, int Context, int Width, int Layers, int Heads, double Dropout, int Seed)
{
    public static CharTransformerConfigJson From(Nabla.NN.CharTransformerConfig c) => new(c.Vocabulary, c.Context, c.Width, c.Layers, c.Heads, c.Dropout, c.Seed);
    public Nabla.NN.CharTransformerConfig ToConfig() => new(Vocabulary, Context, Width, Layers, Heads, Dropout, Seed);
}

/// <summary>The LSTM model's shape as stored in the checkpoint.</summary>
internal sealed record CharLstmConfigJson(int Vocabulary, int Context, int Embedding, int Hidden, int Seed)
{
    public static CharLstmConfigJson From(Nabla.NN.CharLstmConfig c) => new(c.Vocabulary, c.Context, c.Embedding, c.Hidden, c.Seed);
    public Nabla.NN.CharLstmConfig ToConfig() => new(Vocabulary, Context, Embedding, Hidden, Seed);
}
