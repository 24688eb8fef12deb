namespace Nabla.Tests.OpTable;

/// <summary>Rows for the optimizer update ops: stateful, output 0, and asking for their gradient is an error.</summary>
internal static class UpdateOpCases
{
    private static Input Grad => new(new Shape(2, 3), Samplers.Normal);

    private static Node Var(BuildContext c, string name) => c.Graph.Variable(name, Tensor.Fill(new Shape(2, 3), 0.5, c.DType));

    private static Node Lr(BuildContext c) => c.Graph.Scalar(0.1, c.DType);

    private static Tensor Zero(Tensor[] x) => Tensor.Scalar(0, DType.Float64);

    public static IEnumerable<OpCase> All()
    {
        yield return new("ApplyGradientDescent", typeof(ApplyGradientDescentOp), [Grad], c => Var(c, "w").ApplyGradientDescent(Lr(c), c.X[0]), Zero, GradKind.Throws);
        yield return new("ApplyMomentum", typeof(ApplyMomentumOp), [Grad], c => Var(c, "w").ApplyMomentum(Var(c, "a"), Lr(c), c.X[0], 0.9, nesterov: true), Zero, GradKind.Throws);
        yield return new("ApplyRmsProp", typeof(ApplyRmsPropOp), [Grad], c => Var(c, "w").ApplyRmsProp(Var(c, "s"), Lr(c), c.X[0], 0.9, 1e-7), Zero, GradKind.Throws);
        yield return new("ApplyAdam", typeof(ApplyAdamOp), [Grad], c => Var(c, "w").ApplyAdam(Var(c, "m"), Var(c, "v"), Lr(c), Lr(c), c.X[0], 0.9, 0.999, 1e-7, 0.01), Zero, GradKind.Throws);
    }
}
