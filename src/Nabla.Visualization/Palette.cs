namespace Nabla.Visualization;

/// <summary>Colours shared by the DOT and HTML pictures: values green, gradients red, as in the reference article.</summary>
internal static class Palette
{
    public const string Value = "#1a7f37";
    public const string Gradient = "#cf222e";
    public const string Partial = "#0550ae";
    public const string Detail = "#57606a";
    public const string Placeholder = "#ddf4ff";
    public const string Constant = "#eaeef2";
    public const string Variable = "#fff8c5";
    public const string Op = "#ffffff";
    public const string Collapsed = "#f6f8fa";
    public const string Edge = "#8c959f";
}
