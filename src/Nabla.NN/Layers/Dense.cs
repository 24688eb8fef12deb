namespace Nabla.NN;

/// <summary>A fully connected layer: y = f(x·W + b) for x of shape [N, in], W [in, units], b [units].</summary>
public sealed class Dense(int units, Func<Node, Node>? activation = null, Initializer? kernelInitializer = null) : Layer
{
    /// <summary>The number of outputs per example.</summary>
    public int Units { get; } = units > 0 ? units : throw new InvalidGraphArgumentException($"Dense: units must be positive, got {units}.");
    /// <summary>The weights W, [inputs, units]; null until the layer is first applied.</summary>
    public Node? Kernel { get; private set; }
    /// <summary>The bias b, [units]; null until the layer is first applied.</summary>
    public Node? Bias { get; private set; }

    /// <inheritdoc/>
    protected override void Build(Node x)
    {
        int inputs = KnownDim(x, 1, 2);
        var init = kernelInitializer ?? Initializer.GlorotUniform;
        Kernel = AddVariable(x, "kernel", init.Create(new Shape(inputs, Units), inputs, Units, Seed, x.DType));
        Bias = AddVariable(x, "bias", Tensor.Zeros(new Shape(Units), x.DType));
    }

    /// <inheritdoc/>
    protected override string Settings => $"units={Units}, activation={ActivationName(activation)}";

    /// <inheritdoc/>
    protected override Node Call(Node x, bool training)
    {
        var y = x.MatMul(Kernel!) + Bias!;
        return activation is null ? y : activation(y);
    }
}
