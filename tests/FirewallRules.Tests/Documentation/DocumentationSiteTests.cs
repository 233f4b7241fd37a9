using System.Diagnostics;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Packaging;

namespace FirewallRules.Tests.Documentation;

/// <summary>
/// The documentation site as a reader gets it: DocFX (the local tool pinned in .config/dotnet-tools.json) builds
/// docs/ with warnings as errors, which fails on a link or bookmark in the Markdown that leads nowhere, and Debian's
/// headless Chromium, driven by playwright-core from .tools, opens every page the build made and fails on a page
/// the template's script does not fill in, a link to a missing page and a link to a missing anchor.
/// A missing tool skips the tests locally and fails them when <c>CI=true</c> (.ci/run installs them).
/// </summary>
[TestFixture]
[Category("RealTools")]
public partial class DocumentationSiteTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string NpmInstall = "npm install --prefix .tools playwright-core@1.64.1";

    private string _work = null!;

    [OneTimeSetUp]
    public void CreateWorkFolder() => _work = Directory.CreateTempSubdirectory("fwrules-docs-").FullName;

    [OneTimeTearDown]
    public void RemoveWorkFolder() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Site_BuiltWithWarningsAsErrors_OpensEveryPageInChromiumWithNoBrokenLinkOrAnchor()
    {
        (string node, string modules) = BrowserTools();
        string docfx = DocfxRestored();
        string site = Path.Combine(_work, "site");

        Stopwatch build = Stopwatch.StartNew();
        await BuildCommand.RunOnRepositoryAsync("dotnet", TestData.RepositoryRoot, "tool", "run", docfx, "--",
            Path.Combine("docs", "docfx.json"), "--warningsAsErrors", "--output", site);
        build.Stop();
        ToolResult check = Check(node, modules, site);

        TestContext.Out.WriteLine($"site built in {build.Elapsed.TotalSeconds:F1} s; {check.Error.Trim()}");
        Assert.That(check.ExitCode, Is.Zero, check.Output + check.Error);
        int guides = Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories).Length;
        Assert.That(PagesOpened(check.Error), Is.GreaterThan(guides), "every guide and the API reference's pages were opened");
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
        File.WriteAllText(
            Path.Combine(site, "broken.html"),
            """<html><body><article><h1>Broken</h1><p>Text.</p></article><script>throw new Error("template failed")</script></body></html>""");

        ToolResult check = Check(node, modules, site, waitMilliseconds: 2000);

        Assert.That(check.ExitCode, Is.EqualTo(1), check.Output + check.Error);
        Assert.That(check.Output, Does.Contain("/index.html: broken link to /missing.html"));
        Assert.That(check.Output, Does.Contain("/index.html: missing anchor #nowhere in /guide.html"));
        Assert.That(check.Output, Does.Contain("/blank.html: does not render: no title in the article"));
        Assert.That(check.Output, Does.Contain("/broken.html: does not render: script error: template failed"));
        Assert.That(check.Output, Does.Not.Contain("guide.html: "), "the page with its anchor is fine");
        Assert.That(check.Output, Does.Not.Contain("#there"));
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

    private static ToolResult Check(string node, string modules, string site, int? waitMilliseconds = null) =>
        ExternalTool.Run(node, [Path.Combine(TestContext.CurrentContext.TestDirectory, "Documentation", "check-site.cjs"), modules, site, Chromium],
            waitMilliseconds is { } wait ? new Dictionary<string, string> { ["CHECK_SITE_WAIT_MS"] = $"{wait}" } : null,
            timeout: TimeSpan.FromMinutes(20));

    private static int PagesOpened(string summary) => int.Parse(PagesLine().Match(summary).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) pages opened")]
    private static partial Regex PagesLine();
}
