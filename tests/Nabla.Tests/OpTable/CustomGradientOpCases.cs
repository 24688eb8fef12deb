using Nabla.Samples.CustomGradients;
using static Nabla.Tests.OpTable.Reference;
using S = Nabla.Tests.OpTable.Samplers;

namespace Nabla.Tests.OpTable;

/// <summary>Op table rows for functions with user-given derivatives and for the sample op with a kernel of its own.</summary>
internal static class CustomGradientOpCases
{
    private static Input In(Sampler s, params int[] dims) => new(new Shape(dims), s);

    public static IEnumerable<OpCase> All()
    {
        // Away from 0: the stable forward formula has a kink in |x| there that forward mode (the user's JVP here) does not see.
        yield return new("CustomGradient Softplus", typeof(CustomGradientOp), [In(S.AwayFromZero, 2, 3)], c => CustomFunctions.Softplus(c.X[0]),
            x => Map(x[0], v => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)))));
        yield return new("CustomGradient ClipGradient inside", typeof(CustomGradientOp), [In(S.Normal, 3)], c => CustomFunctions.ClipGradient(c.X[0], -10, 10),
            x => x[0]);
        yield return new OpCase("Sample op Softsign", typeof(SoftsignOp), [In(S.AwayFromZero, 2, 3)], c => SoftsignOp.Apply(c.X[0]),
            x => Map(x[0], v => v / (1 + Math.Abs(v)))).AtSpecialValues();
    }
}
