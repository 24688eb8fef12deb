namespace Nabla.Bench.Common;

/// <summary>The shape of the lstmlm workload in both runners: the defaults of <c>nabla lm train --model lstm</c>.</summary>
internal static class LstmLmShape
{
    public const int Batch = 32, Context = 16, Vocabulary = 27, Embedding = 64, Hidden = 256;
}
