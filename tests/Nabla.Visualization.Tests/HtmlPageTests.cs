using Microsoft.Playwright;

namespace Nabla.Visualization.Tests;

/// <summary>Opens the interactive page from disk in real headless Chromium and steps through it.</summary>
public class HtmlPageTests
{
    private static readonly string[] ReferenceSteps =
    [
        "a = 3 (fed)",
        "b = 2 (fed)",
        "e = a · b = 3 · 2 = 6",
        "c = 4 (fed)",
        "d = 5 (fed)",
        "f = c · d = 4 · 5 = 20",
        "g = e + f = 6 + 20 = 26",
        "dg/dg = 1 (the seed: g with respect to itself)",
        "dg/df = ∂g/∂f = 1",
        "dg/dd = dg/df · ∂f/∂d = 1 · 4 = 4",
        "dg/dc = dg/df · ∂f/∂c = 1 · 5 = 5",
        "dg/de = ∂g/∂e = 1",
        "dg/db = dg/de · ∂e/∂b = 1 · 3 = 3",
        "dg/da = dg/de · ∂e/∂a = 1 · 2 = 2",
    ];

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static string WritePage(string expression, params string[] values)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("nabla-html").FullName, "page.html");
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Nabla.Cli.CommandLine.Run(["grad", expression, .. values, "--html", path], output, error);
        Assert.True(code == 0, error.ToString());
        return path;
    }

    [ToolFact("chromium")]
    public async Task NextStepsThroughTheForwardThenTheReversePass()
    {
        string chromium = Tools.Require("chromium");
        string page = WritePage("a*b + c*d", "a=3", "b=2", "c=4", "d=5");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
        var tab = await browser.NewPageAsync();
        var requests = new List<string>();
        tab.Request += (_, r) => requests.Add(r.Url);
        await tab.GotoAsync(new Uri(page).AbsoluteUri);

        var info = tab.Locator("#step-info");
        Assert.Contains("Press Next", await info.TextContentAsync());
        Assert.True(await tab.Locator("#back").IsDisabledAsync());
        for (int k = 0; k < ReferenceSteps.Length; k++)
        {
            await tab.ClickAsync("#next");
            Assert.Equal(ReferenceSteps[k], await info.TextContentAsync());
            Assert.Equal(k < 7 ? "forward" : "reverse", await info.GetAttributeAsync("data-phase"));
            string number = ReferenceSteps[k].Split(" = ").Select(s => s.Split(' ')[0]).Last();
            Assert.Equal(number, await info.GetAttributeAsync("data-number"));
            Assert.Equal($"Step {k + 1} of {ReferenceSteps.Length}", (await tab.Locator("#step-counter").TextContentAsync())![..$"Step {k + 1} of {ReferenceSteps.Length}".Length]);
            Assert.Equal(1, await tab.Locator(".node.current").CountAsync());
            string node = (await info.GetAttributeAsync("data-node"))!;
            Assert.Equal(node, await tab.Locator(".node.current .name").TextContentAsync());
        }
        Assert.True(await tab.Locator("#next").IsDisabledAsync());
        Assert.Equal(7, await tab.Locator(".value:not(.hidden)").CountAsync());
        Assert.Equal(7, await tab.Locator(".grad:not(.hidden)").CountAsync());

        await tab.Keyboard.PressAsync("ArrowLeft");
        Assert.Equal(ReferenceSteps[^2], await info.TextContentAsync());
        Assert.Equal(6, await tab.Locator(".grad:not(.hidden)").CountAsync());
        await tab.ClickAsync("#back");
        await tab.Keyboard.PressAsync("ArrowRight");
        Assert.Equal(ReferenceSteps[^2], await info.TextContentAsync());

        Assert.All(requests, url => Assert.StartsWith("file://", url));
    }

    [ToolFact("chromium")]
    public async Task TwoPathsShowTheSumOfTwoProducts()
    {
        string chromium = Tools.Require("chromium");
        string page = WritePage("x*y + x", "x=3", "y=2");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
        var tab = await browser.NewPageAsync();
        await tab.GotoAsync(new Uri(page).AbsoluteUri);
        var seen = new List<string>();
        while (!await tab.Locator("#next").IsDisabledAsync())
        {
            await tab.ClickAsync("#next");
            seen.Add((await tab.Locator("#step-info").TextContentAsync())!);
        }
        Assert.Equal("g = e + x = 6 + 3 = 9", seen[3]);
        Assert.Equal("dg/dx = dg/de · ∂e/∂x + ∂g/∂x = 1 · 2 + 1 = 3", seen[^1]);
    }
}
