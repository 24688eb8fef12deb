using System.Text.Json;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace Nabla.Interactive.Tests;

/// <summary>Runs the sample notebook's C# cells, in order, in .NET Interactive's C# kernel, as a notebook would.</summary>
public class NotebookTests
{
    private const string Notebook = "samples/notebooks/backpropagation.ipynb";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, Notebook))) return dir.FullName;
        throw new FileNotFoundException($"'{Notebook}' was not found above {AppContext.BaseDirectory}.");
    }

    private static List<string> CodeCells(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
    }

    [Fact]
    public async Task TheBackpropagationNotebookRunsAndShowsWhatItSays()
    {
        string root = RepositoryRoot();
        string notebook = Path.Combine(root, Notebook);
        var cells = CodeCells(notebook);
        // The notebook references the library's build output; here the same assembly comes from this test's own output.
        string reference = cells[0].Split('\n').Single(l => l.StartsWith("#r ", StringComparison.Ordinal));
        string relative = reference[4..].Trim().Trim('"');
        Assert.Equal(Path.Combine(root, "src", "Nabla.Interactive"), Path.GetFullPath(Path.Combine(Path.GetDirectoryName(notebook)!, relative, "..", "..", "..", "..")));
        cells[0] = cells[0].Replace(reference, $"#r \"{Path.Combine(AppContext.BaseDirectory, "Nabla.Interactive.dll")}\"");

        using var kernel = new CSharpKernel();
        var output = new List<string>();
        var displayed = new List<string>();
        for (int k = 0; k < cells.Count; k++)
        {
            var result = await kernel.SendAsync(new SubmitCode(cells[k]));
            foreach (var e in result.Events)
                switch (e)
                {
                    case CommandFailed failed: Assert.Fail($"code cell {k + 1} failed: {failed.Message}\n{cells[k]}"); break;
                    case StandardOutputValueProduced text: output.AddRange(text.FormattedValues.Select(v => v.Value)); break;
                    case DisplayEvent display: displayed.AddRange(display.FormattedValues.Where(v => v.MimeType == "text/html").Select(v => v.Value)); break;
                }
        }

        var lines = string.Concat(output).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Contains("g = 26", lines);
        // Reverse mode and forward mode agree with the derivatives of a*b + c*d: dg/da = b, dg/db = a, dg/dc = d, dg/dd = c.
        foreach (var (x, value) in new[] { ("a", 2), ("b", 3), ("c", 5), ("d", 4) })
        {
            Assert.Contains($"reverse mode: dg/d{x} = {value}", lines);
            Assert.Contains($"forward mode: dg/d{x} = {value}", lines);
        }
        Assert.Contains("dg/da = ∂g/∂e · ∂e/∂a = 1 · 2 = 2", lines);
        Assert.Contains(displayed, html => html.Contains("<svg") && html.Contains(">dg/da = 2<"));
        Assert.Contains(displayed, html => html.Contains("<caption>Tensor, shape [2, 3], dtype float32</caption>"));
        Assert.Contains(displayed, html => html.Contains($"total parameters: {4 * 16 + 16 + 16 * 3 + 3}"));
    }
}
