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

    /// <summary>
    /// Character LSTM LM on batch·context positions: the input projection embedding·4H, the recurrent product H·4H and
    /// the head H·vocabulary multiply-adds per position, each run three times (forward, weight and input gradients;
    /// the embedding table is trained, so the LSTM's input gets a gradient). The gates' elementwise math is not counted.
    /// </summary>
    public static double LstmLm(int batch, int context, int vocabulary, int embedding, int hidden) =>
        2.0 * 3 * batch * context * ((double)embedding * 4 * hidden + (double)hidden * 4 * hidden + (double)hidden * vocabulary);
}
