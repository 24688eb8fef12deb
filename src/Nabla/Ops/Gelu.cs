namespace Nabla;

public sealed partial class Node
{
    /// <summary>
    /// The Gaussian error linear unit (Hendrycks and Gimpel 2016), elementwise. Exact: x·Φ(x) = ½x·(1 + erf(x/√2)),
    /// d/dx = Φ(x) + x·φ(x) with φ the standard normal density. With <paramref name="approximate"/>, the tanh form
    /// ½x·(1 + tanh(√(2/π)·(x + 0.044715x³))) of GPT-2 and BERT, differentiated through its parts.
    /// Composite of Erf or Tanh, so every derivative order comes from theirs.
    /// </summary>
    public Node Gelu(bool approximate = false)
    {
        if (approximate)
        {
            var inner = (this + this * this.Square() * 0.044715) * Math.Sqrt(2 / Math.PI);
            return this * 0.5 * (inner.Tanh() + 1.0);
        }
        return this * 0.5 * ((this * Math.Sqrt(0.5)).Erf() + 1.0);
    }
}
