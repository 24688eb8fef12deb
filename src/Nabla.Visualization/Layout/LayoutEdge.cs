namespace Nabla.Visualization;

/// <summary>An edge to lay out from box <see cref="From"/> to box <see cref="To"/>, with room for a label when its size is not zero.</summary>
internal sealed record LayoutEdge(int From, int To, double LabelWidth = 0, double LabelHeight = 0)
{
    public bool HasLabel => LabelWidth > 0 && LabelHeight > 0;
}

/// <summary>Where an edge runs: SVG path data of its curve, the arrowhead's outline, and its label's rectangle when it has one.</summary>
internal sealed record RoutedEdge(string Path, string Arrowhead, Rect? Label);
