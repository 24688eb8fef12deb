using System.CommandLine;
using System.CommandLine.Help;

namespace Nabla.Cli;

/// <summary><c>nabla lm</c>: the character-level language model's verbs (train, sample, eval); alone it shows them.</summary>
internal sealed class LmCommand : NablaCommand
{
    public override Command Create()
    {
        var command = new Command("lm", "A character-level transformer language model on a word list (the shipped data/words/words.txt by default): train it, sample words, evaluate it.");
        command.SetAction(parse =>
        {
            new HelpAction().Invoke(parse);
            return 1;
        });
        return command;
    }
}

/// <summary>What <c>nabla lm train</c> stores in its checkpoint, so that sample and eval rebuild the model and the same data split.</summary>
internal sealed record LmCheckpointInfo(string Model, CharTransformerConfigJson Config, string Vocabulary, string Data, double ValidationFraction, int DataSeed, int? Limit);

/// <summary>The model's shape as stored in the checkpoint.</summary>
internal sealed record CharTransformerConfigJson(int Vocabulary, int Context, int Width, int Layers, int Heads, double Dropout, int Seed)
{
    public static CharTransformerConfigJson From(Nabla.NN.CharTransformerConfig c) => new(c.Vocabulary, c.Context, c.Width, c.Layers, c.Heads, c.Dropout, c.Seed);
    public Nabla.NN.CharTransformerConfig ToConfig() => new(Vocabulary, Context, Width, Layers, Heads, Dropout, Seed);
}
