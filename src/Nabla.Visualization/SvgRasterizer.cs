using SkiaSharp;
using Svg.Skia;

namespace Nabla.Visualization;

/// <summary>Turns SVG text into PNG with Svg.Skia on SkiaSharp (whose NuGet package carries Skia's native library).</summary>
internal static class SvgRasterizer
{
    /// <summary>The longest side of a PNG in pixels; larger pictures are drawn at a smaller scale.</summary>
    public const int MaxSide = 8192;

    /// <summary>
    /// PNG bytes of <paramref name="svg"/> drawn on white at <paramref name="scale"/> pixels per SVG unit, or less when
    /// that would make a side longer than <see cref="MaxSide"/>.
    /// </summary>
    public static byte[] ToPng(string svg, float scale = 2)
    {
        using var document = new SKSvg();
        try
        {
            document.FromSvg(svg);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new NablaException($"Cannot draw the picture as PNG: its SVG could not be read ({e.Message}).", e);
        }
        var picture = document.Picture ?? throw new NablaException("Cannot draw the picture as PNG: the SVG renderer produced no picture.");
        var bounds = picture.CullRect;
        scale = Math.Min(scale, MaxSide / Math.Max(1, Math.Max(bounds.Width, bounds.Height)));
        int width = Math.Max(1, (int)Math.Ceiling(bounds.Width * scale)), height = Math.Max(1, (int)Math.Ceiling(bounds.Height * scale));
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            canvas.DrawPicture(picture);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
