namespace Nabla.Cli;

/// <summary>"Did you mean" hints for a mistyped option, command or choice: the candidates closest by edit distance.</summary>
internal static class Suggestions
{
    /// <summary>" Did you mean 'x'?" naming the closest candidates, or "" when none is close.</summary>
    public static string DidYouMean(string given, IEnumerable<string> candidates)
    {
        var close = Closest(given, candidates);
        return close.Count == 0 ? "" : $" Did you mean {string.Join(" or ", close.Select(c => $"'{c}'"))}?";
    }

    /// <summary>Candidates within an edit distance of a third of their length (at least 1), or that start with what was given, nearest first.</summary>
    public static List<string> Closest(string given, IEnumerable<string> candidates)
    {
        string g = given.ToLowerInvariant();
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(g, c.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(1, x.Candidate.TrimStart('-').Length / 3) || (g.TrimStart('-').Length >= 2 && x.Candidate.StartsWith(given, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Distance)
            .Select(x => x.Candidate)
            .Take(3)
            .ToList();
    }

    /// <summary>
    /// Edit distance: the fewest insertions, deletions, substitutions and swaps of neighbours turning one into the
    /// other (optimal string alignment), so "trian" is one edit from "train".
    /// </summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j], d[i, j - 1]) + 1, d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
