using System.Text.Json;
using Microsoft.Playwright;

namespace Nabla.Visualization.Tests;

/// <summary>
/// Opens pictures in headless Chromium and measures what it drew, with its own fonts: no two node boxes, no two
/// edge labels, and no label and box overlap (control-flow clusters' section titles and role labels included), and every
/// line of text stays inside its box.
/// </summary>
public class PictureOverlapTests
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>
    /// Boxes of node rectangles, their texts (by node), edge labels' texts and the cards behind them, as [left, top,
    /// right, bottom]; labels drawn bold, as when a step highlights them.
    /// </summary>
    private const string Measure = """
        () => {
          const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
          document.querySelectorAll('.partial text').forEach(e => e.setAttribute('font-weight', 'bold'));
          const nodes = [...document.querySelectorAll('.node')];
          return JSON.stringify({
            nodes: nodes.map(n => box(n.querySelector('.box'))),
            texts: nodes.map(n => [...n.querySelectorAll('text')].map(box)),
            labels: [...document.querySelectorAll('.partial text')].map(box),
            cards: [...document.querySelectorAll('.partial rect')].map(box),
            names: nodes.map(n => n.dataset.name),
            roles: [...document.querySelectorAll('.role rect')].map(box),
            titles: [...document.querySelectorAll('.cluster-title')].map(box),
          });
        }
        """;

    private sealed record Boxes(double[][] Nodes, double[][][] Texts, double[][] Labels, double[][] Cards, string[] Names, double[][] Roles, double[][] Titles);

    [ToolTheory("chromium")]
    [MemberData(nameof(PictureGraphs.Names), MemberType = typeof(PictureGraphs))]
    public async Task NothingOverlapsOnTheHtmlPage(string graph) => await Check(graph, "html");

    [ToolTheory("chromium")]
    [MemberData(nameof(PictureGraphs.Names), MemberType = typeof(PictureGraphs))]
    public async Task NothingOverlapsInTheSvg(string graph) => await Check(graph, "svg");

    private static async Task Check(string graph, string format)
    {
        string chromium = Tools.Require("chromium");
        var renderer = PictureGraphs.Renderer(graph);
        string path = Path.Combine(Directory.CreateTempSubdirectory("nabla-overlap").FullName, "picture." + format);
        renderer.Save(path);
        int partials = renderer.ToDot().Split("[label=<∂").Length - 1;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
        var tab = await browser.NewPageAsync();
        await tab.GotoAsync(new Uri(path).AbsoluteUri + (format == "html" ? "#step-100000" : ""));
        var boxes = JsonSerializer.Deserialize<Boxes>(await tab.EvaluateAsync<string>(Measure), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

        Assert.Equal(partials, boxes.Labels.Length);
        Assert.Equal(partials, boxes.Cards.Length);
        Assert.True(boxes.Nodes.Length >= (graph == "large" ? 30 : 4), $"{boxes.Nodes.Length} nodes drawn");
        var named = boxes.Nodes.Select((b, k) => (b, $"node '{boxes.Names[k]}'"))
            .Concat(boxes.Cards.Select((b, k) => (b, $"edge label {k}")))
            .Concat(boxes.Roles.Select((b, k) => (b, $"role label {k}")))
            .Concat(boxes.Titles.Select((b, k) => (b, $"section title {k}"))).ToList();
        if (graph is "rnn-scan" or "cond" or "while-loop") Assert.NotEmpty(boxes.Titles);
        for (int i = 0; i < named.Count; i++)
            for (int j = i + 1; j < named.Count; j++)
                Assert.False(Overlap(named[i].b, named[j].b), $"{graph} ({format}): {named[i].Item2} [{string.Join(", ", named[i].b)}] overlaps {named[j].Item2} [{string.Join(", ", named[j].b)}]");
        for (int k = 0; k < boxes.Nodes.Length; k++)
            foreach (var text in boxes.Texts[k])
                Assert.True(Inside(text, boxes.Nodes[k]), $"{graph} ({format}): a line of node '{boxes.Names[k]}' [{string.Join(", ", text)}] spills out of its box [{string.Join(", ", boxes.Nodes[k])}]");
        for (int k = 0; k < boxes.Labels.Length; k++)
            Assert.True(Inside(boxes.Labels[k], boxes.Cards[k]), $"{graph} ({format}): edge label {k} [{string.Join(", ", boxes.Labels[k])}] spills out of its card [{string.Join(", ", boxes.Cards[k])}]");
    }

    /// <summary>Overlap by more than half a pixel each way: boxes that only touch do not count.</summary>
    private static bool Overlap(double[] a, double[] b) =>
        Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]) > 0.5 && Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]) > 0.5;

    private static bool Inside(double[] inner, double[] outer) =>
        inner[0] >= outer[0] - 0.5 && inner[1] >= outer[1] - 0.5 && inner[2] <= outer[2] + 0.5 && inner[3] <= outer[3] + 0.5;
}
