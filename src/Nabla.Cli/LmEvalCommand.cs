using System.CommandLine;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary><c>nabla lm eval</c>: the validation loss of a checkpoint of <c>nabla lm train</c>, with the unigram and bigram baselines.</summary>
internal sealed class LmEvalCommand : NablaCommand
{
    public override string? Parent => "lm";

    public override Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "the model.ckpt written by 'nabla lm train'", HelpName = "FILE", Required = true };
        var data = new Option<string?>("--data") { Description = "word list [default: the one the model was trained on]; split as in training", HelpName = "FILE" };
        var command = new Command("eval", "Validation loss in nats per character of a model trained with 'nabla lm train', against unigram and bigram counts.") { checkpoint, data };
        return Handle(command, (parse, io) =>
        {
            var (console, _) = CliConsole.For(io.Output);
            var (lm, vocabulary, info) = LmCheckpoint.Load(parse.GetValue(checkpoint)!);
            using (lm)
            {
                var corpus = LmCheckpoint.Corpus(info, parse.GetValue(data), vocabulary);
                var baselines = new Nabla.NN.NgramBaselines(corpus.Train, vocabulary.Count);
                var (first, end) = Nabla.NN.CharLanguageModel.EvaluatedTargets(corpus.Validation.Length, lm.Model.Context);
                double unigram = baselines.Unigram(corpus.Validation, first, end), bigram = baselines.Bigram(corpus.Validation, first, end);
                double loss = lm.Evaluate(corpus.Validation);
                console.MarkupLine($"{corpus.ValidationWords:N0} validation words of [blue]{Markup.Escape(corpus.Path)}[/] ({end - first:N0} characters scored)");
                console.MarkupLine($"unigram {unigram:F4}, bigram {bigram:F4}, [bold]{info.Model} {loss:F4}[/] nats per character ({loss / bigram - 1:+0.0%;-0.0%} vs bigram, {loss / Math.Log(2):F3} bits)");
            }
            return 0;
        });
    }
}
