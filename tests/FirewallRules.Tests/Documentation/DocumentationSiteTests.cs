using System.Diagnostics;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Packaging;

namespace FirewallRules.Tests.Documentation;

/// <summary>
/// The documentation site as a reader gets it: DocFX (the local tool pinned in .config/dotnet-tools.json) builds
/// docs/ with warnings as errors, which fails on a link or bookmark in the Markdown that leads nowhere, and Debian's
/// headless Chromium, driven by playwright-core from .tools, opens every page the build made and fails on a page
/// the template's script does not fill in, a page wider than a 1280 px screen (and, for the guides and the API pages
/// with the widest tables, a 390 px phone's), a link to a missing page or anchor, a home page without its logo, and a
/// search box that finds nothing. Screenshots of both widths go to <c>artifacts/docs-site/</c>.
/// A missing tool skips the tests locally and fails them when <c>CI=true</c> (.ci/run installs them).
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class DocumentationSiteTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string NpmInstall = "npm install --prefix .tools playwright-core@1.64.1";

    private string _work = null!;
    private Task<(string Site, TimeSpan Took)>? _build;

    [OneTimeSetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("fwrules-docs-").FullName;

    [OneTimeTearDown]
    public void RemoveWorkFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Site_BuiltWithWarningsAsErrors_OpensEveryPageInChromiumWithNoBrokenLinkOrAnchor()
    {
        (string node, string modules) = BrowserTools();
        (string site, TimeSpan took) = await SiteAsync();
        string shots = Path.Combine(TestData.RepositoryRoot, "artifacts", "docs-site");
        ToolResult check = Check(node, modules, site, shots: shots);

        TestContext.Out.WriteLine($"site built in {took.TotalSeconds:F1} s; {check.Error.Trim()}");
        Assert.That(check.ExitCode, Is.Zero, check.Output + check.Error);
        Assert.That(check.Error, Does.Match(@"search for 'nftables': [1-9]\d* results"));
        Assert.That(
            new[] { "home", "guide", "api" }.SelectMany(page => new[] { $"{page}-1280px.png", $"{page}-390px.png" }).Select(f => new FileInfo(Path.Combine(shots, f)).Length),
            Is.All.GreaterThan(10_000), "a screenshot of each width");
        int guides = Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories).Length;
        Assert.That(PagesOpened(check.Error), Is.GreaterThan(guides), "every guide and the API reference's pages were opened");
    }

    [Test]
    public async Task Site_ShowsTheRepositorysChangelogAsAPage_IncludedNotCopied()
    {
        (string site, _) = await SiteAsync();

        string changelog = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "CHANGELOG.md"));
        string firstEntry = changelog.Split('\n').First(line => line.StartsWith("- ", StringComparison.Ordinal))[2..];
        string page = File.ReadAllText(Path.Combine(site, "CHANGELOG.html"));
        Assert.That(page, Does.Contain("<h1 id=\"changelog\">Changelog</h1>"));
        string entryText = Regex.Replace(firstEntry, "[`*]", string.Empty);
        Assert.That(System.Net.WebUtility.HtmlDecode(Regex.Replace(page, "<[^>]+>", string.Empty)), Does.Contain(entryText[..Math.Min(60, entryText.Length)]));
        Assert.That(File.ReadAllText(Path.Combine(site, "toc.json")), Does.Contain("\"name\":\"Changelog\",\"href\":\"CHANGELOG.html\""));
        Assert.That(Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "docs"), "CHANGELOG*", SearchOption.AllDirectories), Is.Empty, "no copy under docs/");
    }

    [Test]
    public void Checker_OnASiteWithFaults_ReportsTheBrokenLinkTheMissingAnchorAndThePagesThatDoNotRender()
    {
        (string node, string modules) = BrowserTools();
        string site = Directory.CreateDirectory(Path.Combine(_work, "faulty")).FullName;
        File.WriteAllText(Path.Combine(site, "index.html"), """
            <html><body><article><h1>Home</h1>
            <p><a href="guide.html#there">fine</a> <a href="missing.html">gone</a> <a href="guide.html#nowhere">no anchor</a></p>
            </article></body></html>
            """);
        File.WriteAllText(Path.Combine(site, "guide.html"), """<html><body><article><h1 id="there">Guide</h1><p>Text.</p></article></body></html>""");
        File.WriteAllText(Path.Combine(site, "blank.html"), "<html><body><p>No article.</p></body></html>");
        File.WriteAllText(Path.Combine(site, "wide.html"), $"<html><body><article><h1>Wide</h1><pre>{new string('x', 400)}</pre></article></body></html>");
        File.WriteAllText(
            Path.Combine(site, "broken.html"),
            """<html><body><article><h1>Broken</h1><p>Text.</p></article><script>throw new Error("template failed")</script></body></html>""");

        ToolResult check = Check(node, modules, site, waitMilliseconds: 2000);

        Assert.That(check.ExitCode, Is.EqualTo(1), check.Output + check.Error);
        Assert.That(check.Output, Does.Contain("/index.html: broken link to /missing.html"));
        Assert.That(check.Output, Does.Contain("/index.html: missing anchor #nowhere in /guide.html"));
        Assert.That(check.Output, Does.Contain("/blank.html: does not render: no title in the article"));
        Assert.That(check.Output, Does.Contain("/broken.html: does not render: script error: template failed"));
        Assert.That(check.Output, Does.Match(@"/wide\.html: wider than the screen at 1280 px \(\d+ px\)"));
        Assert.That(check.Output, Does.Match(@"/wide\.html: wider than the screen at 390 px \(\d+ px\)"));
        Assert.That(check.Output, Does.Contain("/index.html: no logo drawn from /images/logo.svg (no img#logo)").And.Contain("/index.html: search for 'nftables' found nothing"));
        Assert.That(check.Output, Does.Not.Contain("/index.html: wider"));
        Assert.That(check.Output, Does.Not.Contain("guide.html: "), "the page with its anchor is fine");
        Assert.That(check.Output, Does.Not.Contain("#there"));
    }

    /// <summary>The site, built once for the fixture by DocFX with warnings as errors, and how long that took.</summary>
    private Task<(string Site, TimeSpan Took)> SiteAsync()
    {
        return _build ??= BuildAsync();

        async Task<(string, TimeSpan)> BuildAsync()
        {
            string docfx = DocfxRestored();
            string site = Path.Combine(_work, "site");
            Stopwatch build = Stopwatch.StartNew();
            await BuildCommand.RunOnRepositoryAsync("dotnet", TestData.RepositoryRoot, "tool", "run", docfx, "--",
                Path.Combine("docs", "docfx.json"), "--warningsAsErrors", "--output", site);
            return (site, build.Elapsed);
        }
    }

    /// <summary>Node.js, the node_modules folder holding playwright-core, and Debian's Chromium.</summary>
    private static (string Node, string Modules) BrowserTools()
    {
        string node = ExternalTool.Command("node");
        string modules = Environment.GetEnvironmentVariable("FWRULES_NODE_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestData.RepositoryRoot, ".tools", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "playwright-core")))
        {
            ExternalTool.Missing<string>($"playwright-core is not installed in {modules}: run `{NpmInstall}`");
        }

        if (!File.Exists(Chromium))
        {
            ExternalTool.Missing<string>($"{Chromium} is not installed: apt-get install chromium");
        }

        return (node, modules);
    }

    /// <summary>The name of the DocFX tool, once <c>dotnet tool restore</c> has restored it from the manifest.</summary>
    private static string DocfxRestored()
    {
        ToolResult version = ExternalTool.Run("dotnet", ["tool", "run", "docfx", "--", "--version"], workingDirectory: TestData.RepositoryRoot);
        return version.ExitCode == 0 ? "docfx" : ExternalTool.Missing<string>($"docfx is not restored: run `dotnet tool restore` ({version.Error.Trim()})");
    }

    private static ToolResult Check(string node, string modules, string site, int? waitMilliseconds = null, string? shots = null) =>
        ExternalTool.Run(
            node,
            [Path.Combine(TestContext.CurrentContext.TestDirectory, "Documentation", "check-site.cjs"), modules, site, Chromium, .. shots is null ? [] : new[] { shots }],
            waitMilliseconds is { } wait ? new Dictionary<string, string> { ["CHECK_SITE_WAIT_MS"] = $"{wait}" } : null,
            timeout: TimeSpan.FromMinutes(20));

    private static int PagesOpened(string summary) => int.Parse(PagesLine().Match(summary).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) pages opened")]
    private static partial Regex PagesLine();
}
