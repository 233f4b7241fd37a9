using System.Diagnostics;
using System.Text.Json;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Server;

/// <summary>
/// Runs <c>tests/e2e/page-check.mjs</c>: Debian's Chromium, headless, driven by playwright-core from npm (installed by
/// <c>.ci/run</c> into <c>tests/e2e/node_modules</c>), against a running mirror. Each call is one browser run and
/// returns the JSON it printed: what the page showed, plus every console error, page error, dialog and request to
/// anything but the mirror. Without Chromium, node or the npm packages the test is skipped, or fails when <c>CI=true</c>.
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

    /// <summary>Runs one command of the script against <paramref name="baseUri"/>.</summary>
    public static async Task<JsonElement> RunAsync(Uri baseUri, string command, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["page-check.mjs", command, baseUri.AbsoluteUri, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CHROMIUM"] = Chromium;
        using Process node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"the browser run '{command}' took more than 3 minutes");
        }

        string output = await stdout;
        Assert.That(node.ExitCode, Is.Zero, $"page-check.mjs {command} failed:\n{await stderr}\n{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
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
