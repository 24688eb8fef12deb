using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Inverted-dropout masks from a counter-based generator: element i of draw <c>key</c> is kept when
/// SplitMix64(key + i·φ) / 2⁶⁴ ≥ rate, so every element is independent of thread timing and of the others.
/// </summary>
internal static class DropoutMask
{
    /// <summary>mask[i] = 1 / (1 − rate) where element i is kept, else 0.</summary>
    public static void Fill<T>(Span<T> mask, double rate, ulong key) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(1 / (1 - rate));
        ulong threshold = (ulong)(rate * (1UL << 53));
        for (int i = 0; i < mask.Length; i++)
            mask[i] = Mix(key + (ulong)i * Golden) >> 11 >= threshold ? scale : T.Zero;
    }

    /// <summary>The key of draw number <paramref name="draw"/> of a generator seeded with <paramref name="seed"/>.</summary>
    public static ulong Key(int seed, long draw) => Mix(Mix((ulong)(uint)seed * Golden) ^ (ulong)draw);

    private const ulong Golden = 0x9E3779B97F4A7C15;

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
