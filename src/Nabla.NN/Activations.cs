namespace Nabla.NN;

/// <summary>Activation functions for layers, as graph builders: <c>new Dense(128, Activations.Relu)</c>.</summary>
public static class Activations
{
    /// <summary>max(x, 0). Derivative: 1 where x &gt; 0, else 0.</summary>
    public static Node Relu(Node x) => x.Relu();

    /// <summary>tanh x. Derivative: 1 − tanh²x.</summary>
    public static Node Tanh(Node x) => x.Tanh();

    /// <summary>1/(1 + e⁻ˣ). Derivative: σ(x)(1 − σ(x)).</summary>
    public static Node Sigmoid(Node x) => x.Sigmoid();

    /// <summary>x unchanged. Derivative: 1.</summary>
    public static Node Linear(Node x) => x;

    /// <summary>
    /// 1.7159·tanh(2x/3), recommended in LeCun et al., "Efficient BackProp" (1998): f(±1) = ±1, and the
    /// second derivative is largest at ±1, so unit-variance targets sit where the function is still steep.
    /// Derivative: 1.7159·(2/3)·(1 − tanh²(2x/3)).
    /// </summary>
    public static Node ScaledTanh(Node x) => (x * (2.0 / 3.0)).Tanh() * 1.7159;

    /// <summary>max(x, αx) for a small slope α. Derivative: 1 where x ≥ 0, else α (for 0 ≤ α &lt; 1).</summary>
    public static Node LeakyRelu(Node x, double alpha = 0.01) => Node.Maximum(x, x * alpha);
}
