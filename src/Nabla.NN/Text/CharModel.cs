namespace Nabla.NN;

/// <summary>
/// A character-level language model: int32 ids [N, context] → next-character logits [N, context, vocabulary], where
/// position t sees ids 0..t only. <see cref="CharLanguageModel"/> trains, evaluates and samples any of them.
/// </summary>
public abstract class CharModel : Layer
{
    /// <summary>The number of characters, so the width of the logits.</summary>
    public abstract int Vocabulary { get; }
    /// <summary>The length of the windows the model reads.</summary>
    public abstract int Context { get; }
    /// <summary>What <c>nabla lm</c> calls the model: "transformer" or "lstm".</summary>
    public abstract string Kind { get; }
}
