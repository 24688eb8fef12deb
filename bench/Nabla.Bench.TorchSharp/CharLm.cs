using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nabla.Bench.TorchSharp;

/// <summary>
/// The default character transformer of <c>nabla lm train</c> (src/Nabla.NN/Text/CharTransformer.cs) in torch.nn:
/// token embedding plus learned positional embedding (both N(0, 0.02²)), pre-norm blocks x + attention(norm(x)) and
/// h + mlp(norm(h)) with causal multi-head attention and an exact-GELU MLP of 4× the width, a final LayerNorm and a
/// dense head; every Linear Glorot-uniform with zero bias, LayerNorm ε = 1e-5, as in Nabla.NN.
/// </summary>
internal sealed class CharTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Parameter positions;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    public CharTransformer(int vocabulary, int context, int width, int layers, int heads) : base("transformer")
    {
        tokens = nn.Embedding(vocabulary, width);
        positions = nn.Parameter(randn(context, width) * 0.02);
        blocks = nn.ModuleList([.. Enumerable.Range(0, layers).Select(i => new Block($"block{i}", context, width, heads))]);
        norm = nn.LayerNorm([width], 1e-5);
        head = CharLm.Dense(width, vocabulary);
        using (no_grad()) tokens.weight!.normal_(0, 0.02);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        var h = tokens.forward(ids) + positions;
        foreach (var block in blocks) h = block.forward(h);
        return head.forward(norm.forward(h));
    }
}

/// <summary>One pre-norm block: causal multi-head self-attention and a GELU MLP, each added to its input.</summary>
internal sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1, norm2;
    private readonly Linear query, key, value, output, hidden, back;
    private readonly Tensor future;
    private readonly int heads, headWidth;

    public Block(string name, int context, int width, int heads) : base(name)
    {
        this.heads = heads;
        headWidth = width / heads;
        norm1 = nn.LayerNorm([width], 1e-5);
        norm2 = nn.LayerNorm([width], 1e-5);
        (query, key, value, output) = (CharLm.Dense(width, width), CharLm.Dense(width, width), CharLm.Dense(width, width), CharLm.Dense(width, width));
        (hidden, back) = (CharLm.Dense(width, 4 * width), CharLm.Dense(4 * width, width));
        future = ones(context, context, dtype: ScalarType.Bool).triu(1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        var n = norm1.forward(x);
        Tensor Split(Linear part) => part.forward(n).view(batch, length, heads, headWidth).transpose(1, 2); // [N, heads, T, d]
        var scores = Split(query).matmul(Split(key).transpose(-2, -1)) * (1 / Math.Sqrt(headWidth));
        var weights = scores.masked_fill(future, float.NegativeInfinity).softmax(-1);
        var attended = weights.matmul(Split(value)).transpose(1, 2).reshape(batch, length, width);
        var h = x + output.forward(attended);
        return h + back.forward(nn.functional.gelu(hidden.forward(norm2.forward(h))));
    }
}

/// <summary>The training step of Nabla.Bench's charlm32: random windows of a fixed random stream, mean cross-entropy, clipping, AdamW.</summary>
internal static class CharLm
{
    /// <summary>A Linear with Glorot-uniform weights and zero bias, as Nabla.NN's Dense.</summary>
    public static Linear Dense(int inputs, int outputs)
    {
        var layer = nn.Linear(inputs, outputs);
        using (no_grad())
        {
            nn.init.xavier_uniform_(layer.weight!);
            layer.bias!.zero_();
        }
        return layer;
    }

    /// <summary>
    /// One AdamW step (lr 3e-3, weight decay 0.01 on every parameter, β 0.9/0.999, ε 1e-7) after clipping the gradients'
    /// global norm at 1, on <paramref name="batch"/> windows of <paramref name="context"/> + 1 ids drawn and fed each step.
    /// </summary>
    public static Action Step(int vocabulary, int context, int width, int layers, int heads, int batch)
    {
        torch.manual_seed(1);
        var model = new CharTransformer(vocabulary, context, width, layers, heads);
        var parameters = model.parameters().ToArray();
        var optimizer = optim.AdamW(parameters, lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7, weight_decay: 0.01);
        var random = new Random(1);
        var stream = Enumerable.Range(0, 20_000).Select(_ => random.Next(vocabulary)).ToArray();
        var inputs = new long[batch * context];
        var targets = new long[batch * context];
        return () =>
        {
            using var scope = NewDisposeScope();
            for (int b = 0; b < batch; b++)
            {
                int start = random.Next(stream.Length - context);
                for (int t = 0; t < context; t++) (inputs[b * context + t], targets[b * context + t]) = (stream[start + t], stream[start + t + 1]);
            }
            optimizer.zero_grad();
            var logits = model.forward(tensor(inputs, [batch, context]));
            var loss = nn.functional.cross_entropy(logits.reshape(-1, vocabulary), tensor(targets));
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
        };
    }
}
