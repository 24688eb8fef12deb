namespace Nabla.Bench.Common;

/// <summary>
/// Floating-point operations of one step of each workload (2 per multiply-add), counting the work a training step
/// does: the forward pass, the gradients of every weight, and the gradients of every layer input except the first
/// (no framework differentiates with respect to the data).
/// </summary>
internal static class WorkloadFlops
{
    /// <summary>n×n · n×n.</summary>
    public static double MatMul(int n) => 2.0 * n * n * n;

    /// <summary>784-256-128-10 MLP: three passes over each weight matrix, two over the first.</summary>
    public static double Mlp(int batch) => 2.0 * batch * (2 * 784 * 256 + 3 * (256 * 128 + 128 * 10));

    /// <summary>
    /// LeNet-5 on 1×28×28. Multiply-adds per image: conv1 6·784·25 (forward and filter gradient only), conv2 16·100·150,
    /// dense 400·120 + 120·84 + 84·10 (forward, weight and input gradients).
    /// </summary>
    public static double LeNet(int batch) => 2.0 * batch * (2 * 6 * 784 * 25 + 3 * (16 * 100 * 150 + 400 * 120 + 120 * 84 + 84 * 10));

    /// <summary>The title both runners give the character-LM row: the model's sizes and the step's settings.</summary>
    public const string CharLmTitle = "g. char transformer LM train step (AdamW, clip 1), batch 32, context 16, vocab 27, width 64, MLP 256, 2 pre-norm blocks × 4 heads, exact GELU";

    /// <summary>
    /// The character transformer of <c>nabla lm train</c> (context 16, width 64, 2 blocks, vocabulary 27) on batch·16 tokens.
    /// Multiply-adds per token: per block the four attention projections and the MLP (4W² + 8W²) and the two attention
    /// products over the 16 positions (2·16·W, all of them, as both runners compute the masked ones too), then the head W·27;
    /// three passes each (forward, and the gradients of both operands). Normalisation, softmax, GELU and AdamW are not counted.
    /// </summary>
    public static double CharLm(int batch)
    {
        const int context = 16, width = 64, blocks = 2, vocabulary = 27;
        double perToken = blocks * (12.0 * width * width + 2.0 * context * width) + width * vocabulary;
        return 2.0 * 3 * batch * context * perToken;
    }

    /// <summary>
    /// Character LSTM LM on batch·context positions: the input projection embedding·4H, the recurrent product H·4H and
    /// the head H·vocabulary multiply-adds per position, each run three times (forward, weight and input gradients;
    /// the embedding table is trained, so the LSTM's input gets a gradient). The gates' elementwise math is not counted.
    /// </summary>
    public static double LstmLm(int batch, int context, int vocabulary, int embedding, int hidden) =>
        2.0 * 3 * batch * context * ((double)embedding * 4 * hidden + (double)hidden * 4 * hidden + (double)hidden * vocabulary);
}
