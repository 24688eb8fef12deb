using ScottPlot;

namespace Nabla.Cli;

/// <summary>Draws loss (left axis) and accuracy (right axis) per epoch, for training and test, as a PNG.</summary>
internal static class TrainingPlot
{
    public static void Save(string path, TrainingLog log)
    {
        var epochs = log.Epochs.Select(e => (double)e.Epoch).ToArray();
        var plot = new Plot();
        plot.Title($"nabla train --model {log.Model} ({log.Optimizer}, batch {log.Batch})");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.Axes.Right.Label.Text = "accuracy (%)";

        void Line(Func<EpochRecord, double> f, string label, bool right, LinePattern pattern)
        {
            var s = plot.Add.Scatter(epochs, log.Epochs.Select(f).ToArray());
            s.LegendText = label;
            s.LinePattern = pattern;
            s.LineWidth = 2;
            if (right) s.Axes.YAxis = plot.Axes.Right;
        }

        Line(e => e.TrainLoss, "train loss", false, LinePattern.Solid);
        Line(e => e.TestLoss, "test loss", false, LinePattern.Dashed);
        Line(e => 100 * e.TrainAccuracy, "train accuracy", true, LinePattern.Solid);
        Line(e => 100 * e.TestAccuracy, "test accuracy", true, LinePattern.Dashed);
        plot.ShowLegend(Alignment.MiddleRight);
        TrainingLog.WriteAtomically(path, temp => plot.SavePng(temp, 900, 540));
    }
}
