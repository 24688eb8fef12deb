using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>Where with every mix of broadcast operands against a multi-index loop written here.</summary>
public class WhereKernelTests
{
    [Fact]
    public void EveryBroadcastMixMatchesAMultiIndexLoop()
    {
        int[] z = [2, 3, 4, 5];
        int[][] shapes = [[], [5], [4, 5], [1, 5], [4, 1], [3, 1, 5], [2, 3, 4, 5], [2, 1, 4, 1], [1, 1, 1, 1], [3, 4, 1], [2, 3, 1, 1]];
        var rng = new Random(5);
        foreach (var cShape in shapes)
            foreach (var aShape in shapes)
                foreach (var bShape in shapes)
                {
                    var c = Enumerable.Range(0, Size(cShape)).Select(_ => rng.Next(2) == 1).ToArray();
                    var a = Enumerable.Range(0, Size(aShape)).Select(_ => rng.NextDouble()).ToArray();
                    var b = Enumerable.Range(0, Size(bShape)).Select(_ => -rng.NextDouble()).ToArray();
                    var result = new double[Size(z)];
                    Elementwise.Where<bool, double>(c, cShape, a, aShape, b, bShape, result, z);
                    for (int i = 0; i < result.Length; i++)
                    {
                        int[] at = [i / 60, i / 20 % 3, i / 5 % 4, i % 5];
                        double expected = c[Flat(cShape, at)] ? a[Flat(aShape, at)] : b[Flat(bShape, at)];
                        Assert.True(expected == result[i], $"c {Text(cShape)}, a {Text(aShape)}, b {Text(bShape)} at {Text(at)}: {result[i]} vs {expected}");
                    }
                }
    }

    private static int Size(int[] shape) => shape.Aggregate(1, (p, d) => p * d);

    /// <summary>The flat index in an operand of <paramref name="shape"/> (aligned right, size-1 axes read at 0) of output index <paramref name="at"/>.</summary>
    private static int Flat(int[] shape, int[] at)
    {
        int flat = 0;
        for (int k = 0; k < shape.Length; k++)
            flat = flat * shape[k] + (shape[k] == 1 ? 0 : at[at.Length - shape.Length + k]);
        return flat;
    }

    private static string Text(int[] v) => "[" + string.Join(", ", v) + "]";
}
