namespace Nabla.Visualization;

/// <summary>An axis-aligned rectangle in picture coordinates (y grows downwards, as in SVG).</summary>
internal readonly record struct Rect(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;
    public double CenterX => X + Width / 2;
    public double CenterY => Y + Height / 2;

    /// <summary>True when the two rectangles share more than a boundary.</summary>
    public bool Overlaps(Rect other) => X < other.Right && other.X < Right && Y < other.Bottom && other.Y < Bottom;
}
