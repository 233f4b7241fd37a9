using System.Text.Json;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Server;

/// <summary>
/// Runs <c>tests/e2e/page-check.mjs</c>: Debian's Chromium, headless, driven by playwright-core from npm (installed by
/// <c>.ci/run</c> into <c>tests/e2e/node_modules</c>), against a running mirror. Each command opens new browser contexts and
/// returns the JSON it printed: what the page showed, plus every console error, page error, dialog and request to
/// anything but the mirror. A fixture starts one browser (<see cref="Start"/>) for all its commands: a Chromium start costs
/// about 1.5 s of CPU. Without Chromium, node or the npm packages the test is skipped, or fails when <c>CI=true</c>.
/// </summary>
internal static class BrowserCheck
{
    public const string Chromium = "/usr/bin/chromium";

    private static string Folder => Path.Combine(TestData.RepositoryRoot, "tests", "e2e");

    /// <summary>Where screenshots go: <c>artifacts/serve-page/</c> at the repository root, which CI keeps.</summary>
    public static string Artifacts => Path.Combine(TestData.RepositoryRoot, "artifacts", "serve-page");

    /// <summary>Fails (CI) or skips the test when the browser or its driver is missing.</summary>
    public static void Require()
    {
        if (!File.Exists(Chromium))
        {
            ExternalTool.Missing<bool>($"Debian's chromium is not installed at {Chromium}");
        }

        if (!OnPath("node") || !Directory.Exists(Path.Combine(Folder, "node_modules", "playwright-core"))
            || !Directory.Exists(Path.Combine(Folder, "node_modules", "axe-core")))
        {
            ExternalTool.Missing<bool>("node, or playwright-core and axe-core in tests/e2e/node_modules (npm ci --prefix tests/e2e), is missing");
        }
    }

    /// <summary>Starts the script's browser for <paramref name="baseUri"/>: one Chromium for every command the caller runs.</summary>
    public static BrowserSession Start(Uri baseUri) => new(Folder, baseUri);

    /// <summary>Runs one command of the script against <paramref name="baseUri"/>, in a browser of its own.</summary>
    public static async Task<JsonElement> RunAsync(Uri baseUri, string command, params string[] args)
    {
        await using BrowserSession browser = Start(baseUri);
        return await browser.RunAsync(command, args);
    }

    /// <summary>Asserts that the run saw no console error, page error or dialog, and asked nothing but the mirror.</summary>
    public static void AssertClean(JsonElement run)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Strings(run, "consoleErrors"), Is.Empty, "console errors");
            Assert.That(Strings(run, "pageErrors"), Is.Empty, "page errors");
            Assert.That(Strings(run, "dialogs"), Is.Empty, "dialogs");
            Assert.That(Strings(run, "foreignRequests"), Is.Empty, "requests to anything but the mirror");
        });
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, name)));

    public static string[] Strings(JsonElement run, string name) => [.. run.GetProperty(name).EnumerateArray().Select(e => e.ToString())];
}
