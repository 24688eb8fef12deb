namespace Nabla.Tests.ControlFlow;

/// <summary>Compares doubles within an absolute tolerance.</summary>
internal sealed class Tolerance(double tol) : IEqualityComparer<double>
{
    public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
    public int GetHashCode(double obj) => 0;
}
