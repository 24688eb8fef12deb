namespace Nabla.Visualization;

/// <summary>
/// A generous estimate of how wide text is drawn, so boxes and labels are sized before any font is known: each
/// character's advance is taken from a wide sans-serif bold (DejaVu Sans Bold rounded up), wider than Helvetica,
/// Arial or Liberation Sans, which the pictures ask for first.
/// </summary>
internal static class TextWidth
{
    /// <summary>The width in pixels of <paramref name="text"/> at <paramref name="fontSize"/> pixels.</summary>
    public static double Of(string text, double fontSize) => text.Sum(Em) * fontSize;

    private static double Em(char c) => c switch
    {
        'i' or 'j' or 'l' or 'I' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' => 0.38,
        'f' or 't' or 'r' or ' ' or '(' or ')' or '[' or ']' or '{' or '}' or '/' or '\\' or '-' or '"' => 0.5,
        'm' or 'w' or 'M' or 'W' or '@' or '%' or '…' or '—' or 'Ω' => 1.05,
        '=' or '+' or '<' or '>' or '~' or '×' or '^' or '*' or '−' or '±' => 0.86,
        >= 'A' and <= 'Z' => 0.82,
        _ => 0.74,
    };
}
