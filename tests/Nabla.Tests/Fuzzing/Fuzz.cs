using CsCheck;

namespace Nabla.Tests.Fuzzing;

/// <summary>
/// Runs a property over a fixed, seeded sequence of generated cases (the same cases on every run). On a
/// failure, CsCheck starts from the failing case's seed and shrinks it; the message prints the smallest
/// failing case as C#.
/// </summary>
internal static class Fuzz
{
    public static void Check(string property, int cases, ulong seed, Action<FuzzCase> check)
    {
        for (int i = 0; i < cases; i++)
        {
            var pcg = new PCG(7, seed + (ulong)i);
            string seedText = pcg.ToString();
            var c = FuzzCase.Gen.Generate(pcg, null!, out _);
            try
            {
                check(c);
            }
            catch (Exception first)
            {
                string shrunk;
                try
                {
                    FuzzCase.Gen.Sample(check, seed: seedText, iter: 2000, time: 10, threads: 1, print: x => x.ToCSharp());
                    shrunk = "(the failure did not recur while shrinking)";
                }
                catch (Exception e)
                {
                    shrunk = e.Message;
                }
                throw new Xunit.Sdk.XunitException($"{property}: case {i} (CsCheck seed {seedText}) fails:\n{c.ToCSharp()}\n{first.Message}\n\nShrunk:\n{shrunk}");
            }
        }
    }
}
