using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;
using FirewallRules.Tests.Notices;
using FirewallRules.Tests.Server;
using FirewallRules.Tests.Sync;
using FirewallRules.Tests.Verification;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// The binary the README's publish command builds: Native AOT, so it compiles everything ahead of time and keeps only
/// what it sees being used. Every verb must do what the framework-dependent tool (the dotnet tool package's build) does:
/// print the same text, reach the network through the resilient client, post notices, write the cache, read the embedded
/// document, change a kernel's firewall and serve the mirror. The binary is the one the test project's build publishes
/// with the README's command (into a folder of its own), which every other test starts too.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed partial class PublishedBinaryTests
{
    private string _work = null!;

    private static string Fwrules => FwrulesProcess.Tool;

    private static string BuiltTool => FwrulesProcess.FrameworkDependentTool;

    private string Prefixes => Path.Combine(_work, "prefixes.txt");

    [OneTimeSetUp]
    public async Task WritePrefixes()
    {
        _work = Directory.CreateTempSubdirectory("fwrules-publish-").FullName;
        await File.WriteAllLinesAsync(Prefixes, ["192.0.2.0/25", "192.0.2.128/25", "198.51.100.7", "2001:db8::/33", "2001:db8:8000::/33", "203.0.113.9"]);
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_work, recursive: true);

    [Test]
    public void ReadmePublishCommand_IsTheOneTheTestProjectBuildsTheBinaryWith()
    {
        // The README's command, for this machine's runtime; the build adds only where its files go, how much it prints, and
        // that it does not run the analyzers again (the test project's build has just run them on the same sources). The
        // projects treat warnings as errors, so an AOT or trim analyzer's warning fails that build, and the native compiler's
        // own warnings fail the publish.
        string build = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "FirewallRules.Tests", "FirewallRules.Tests.csproj"));
        string built = PublishTarget().Match(build).Groups[1].Value;

        Assert.That(string.Join(' ', ReadmePublishCommand()), Is.EqualTo("dotnet publish src/FirewallRules.Cli -c Release -r linux-x64"));
        Assert.That(built, Is.EqualTo(
            "dotnet publish &quot;$(MSBuildThisFileDirectory)../../src/FirewallRules.Cli/FirewallRules.Cli.csproj&quot; -c $(Configuration) " +
                "-r $(NETCoreSdkPortableRuntimeIdentifier) --artifacts-path &quot;$(MSBuildThisFileDirectory)obj/native-tool&quot; " +
                "-o &quot;$(OutDir)native&quot; -p:RunAnalyzers=false -tl:off -nologo -v:q"));
        Assert.That(File.Exists(Fwrules), Is.True, Fwrules);
    }

    [TestCase("generate --section logs --format nftables")]
    [TestCase("generate --section webhooks --format azure-arm")]
    [TestCase("generate --agent datakit --feature statsd --format iptables-script")]
    [TestCase("generate --section logs --format kubernetes")]
    [TestCase("generate --format nope")]
    [TestCase("diff {v47} {v52} --format json")]
    [TestCase("aggregate {prefixes}")]
    [TestCase("aggregate --max 2 {prefixes}")]
    [TestCase("sections --input {v52}")]
    [TestCase("sites")]
    [TestCase("ports")]
    [TestCase("formats")]
    [TestCase("--help")]
    [TestCase("privatelink --site ap1 --agent-network 10.0.0.0/16 --endpoint-subnet 10.1.0.0/24 --format terraform")]
    public async Task Verb_PrintsWhatTheBuiltToolPrints(string command)
    {
        string[] args = command
            .Replace("{v47}", FetchTesting.Document(47), StringComparison.Ordinal)
            .Replace("{v52}", FetchTesting.Document(52), StringComparison.Ordinal)
            .Replace("{prefixes}", Prefixes, StringComparison.Ordinal)
            .Split(' ');

        ProcessResult published = await FwrulesProcess.RunExecutableAsync(Fwrules, null, null, args);
        ProcessResult built = await FwrulesProcess.RunExecutableAsync(BuiltTool, null, null, args);

        Assert.That((published.ExitCode, published.Output, published.Error), Is.EqualTo((built.ExitCode, built.Output, built.Error)));
        Assert.That(published.Output + published.Error, Is.Not.Empty);
    }

    [Test]
    public async Task Generate_PublishedBinary_CompilesNothingAtRunTime()
    {
        string published = Path.Combine(_work, "jit-published.txt");
        string built = Path.Combine(_work, "jit-built.txt");

        ProcessResult run = await FwrulesProcess.RunExecutableAsync(Fwrules, JitLog(published), null, "generate", "--section", "logs", "--format", "nftables");
        await FwrulesProcess.RunExecutableAsync(BuiltTool, JitLog(built), null, "generate", "--section", "logs", "--format", "nftables");

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(File.Exists(built) ? File.ReadAllLines(built) : [], Is.Not.Empty, "the JIT's method list works: the built tool compiles at run time");
        Assert.That(File.Exists(published), Is.False, "the published binary has no JIT to compile with");
    }

    // The fetch and the mirror run in both builds: the rest of the suite starts the native one, and the dotnet tool package
    // is the framework-dependent one, which loads the web stack and the resilient client only when these verbs run.
    [TestCase(true)]
    [TestCase(false)]
    public async Task Fetch_RetriedThroughTheResilientClient_SavesTheSnapshotAndPostsTheNotice(bool native)
    {
        string tool = native ? Fwrules : BuiltTool;
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(46));
        await using NoticeReceiver receiver = await NoticeReceiver.StartAsync();
        string cache = Path.Combine(_work, native ? "cache-native" : "cache");
        string[] fetch = ["fetch", "--base-url", server.BaseUri.AbsoluteUri, "--cache", cache, "--notify", receiver.Url.AbsoluteUri];

        ProcessResult first = await FwrulesProcess.RunExecutableAsync(tool, null, null, fetch);
        server.Serve(FetchTesting.Document(47));
        server.Enqueue(IpRangesServer.Status(503, retryAfter: "0"));
        ProcessResult changed = await FwrulesProcess.RunExecutableAsync(tool, null, null, fetch);

        Assert.That((first.ExitCode, changed.ExitCode), Is.EqualTo((0, 0)), first.Error + changed.Error);
        Assert.That(changed.Error, Does.StartWith("fwrules: warning: attempt 1 of 4 failed (HTTP 503 (ServiceUnavailable)); retrying in 0.0 s\n"));
        Assert.That(changed.Output, Does.Contain("version 46 (2021-12-07T10:00:00Z) -> version 47"));
        Assert.That(Directory.GetFiles(cache, "v47.json", SearchOption.AllDirectories), Has.Length.EqualTo(1));
        Assert.That(receiver.Accepted.Select(n => JsonDocument.Parse(n.Json).RootElement.GetProperty("text").GetString()), Is.EqualTo(new[]
        {
            $"Datadog IP ranges for {server.BaseUri} changed from version 46 to 47: logs +0 -2 prefixes; egress rules affected",
        }));
    }

    [Test]
    public async Task Sync_InANamespace_LeavesTheKernelAsTheBuiltToolDoes()
    {
        await using SyncHost published = await SyncHost.StartAsync(Fwrules, 47, "nft");
        await using SyncHost built = await SyncHost.StartAsync(BuiltTool, 47, "nft");
        string[] args = ["--format", "nftables", "--section", "logs", "--section", "webhooks"];

        ToolResult run = await published.SyncAsync(args);
        ToolResult reference = await built.SyncAsync(args);

        Assert.That(run.ExitCode, Is.Zero, run.Error);
        Assert.That(run.Output, Does.StartWith("sync: applied ip-ranges version 47 ").And.EqualTo(reference.Output));
        Assert.That(published.NftRuleset(), Is.EqualTo(built.NftRuleset()).And.Contain("table inet datadog"));
    }

    [Test]
    public void Verify_InANamespace_ReportsWhatTheBuiltToolReports()
    {
        LinuxTools.Require("ip", "dnsmasq", "getent");
        using var ns = NetworkNamespace.Create();
        ns.Ip("addr", "add", "3.233.144.10/32", "dev", "lo");
        using Socket listener = ns.CreateSocket(AddressFamily.InterNetwork);
        listener.Bind(new IPEndPoint(IPAddress.Any, 443));
        listener.Listen(8);
        using var dns = DnsmasqServer.Start(ns, ($"{TestAgent.InHostNames}-app.agent.datadoghq.com", "3.233.144.10"));
        string[] args = ["verify", "--site", "us1", "--input", FetchTesting.Document(59), "--section", "agents", "--kernel", "--timeout", "1s"];

        ToolResult published = ns.Exec(Fwrules, args);
        ToolResult built = ns.Exec(BuiltTool, args);

        Assert.That(published.ExitCode, Is.Zero, published.Error + published.Output);
        Assert.That(published.Output, Does.EndWith("3.233.144.10  yes        public  connected  ok\n").And.EqualTo(built.Output));
        Assert.That(published.Error, Is.EqualTo(built.Error));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Serve_WithTheWebStack_ServesTheVettedDocumentAndRules(bool native)
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        await using MirrorProcess mirror = await MirrorProcess.StartExecutableAsync(
            native ? Fwrules : BuiltTool, null, "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", Path.Combine(_work, native ? "serve-native" : "serve"));
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        byte[] document = await http.GetByteArrayAsync(new Uri("v1/us1/ip-ranges.json", UriKind.Relative));
        string rules = await http.GetStringAsync(new Uri("v1/us1/rules/nftables?section=logs", UriKind.Relative));
        string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));

        Assert.That(document, Is.EqualTo(await File.ReadAllBytesAsync(FetchTesting.Document(47))));
        Assert.That(rules, Is.EqualTo(RuleSet.For(IpRangesDocument.Parse(document, Site.US1), Section.Logs).ToNftables()));
        Assert.That(metrics, Does.Contain("fwrules_mirror_document_version{site=\"us1\"} 47"));
        Assert.That(await mirror.TerminateAsync(), Is.Zero, mirror.Log);
    }

    /// <summary>The one <c>dotnet publish</c> command line the README gives for the binary.</summary>
    private static string[] ReadmePublishCommand() =>
        File.ReadLines(Path.Combine(TestData.RepositoryRoot, "README.md"))
            .Single(line => line.StartsWith("dotnet publish src/FirewallRules.Cli ", StringComparison.Ordinal))
            .Split(' ');

    [GeneratedRegex("""<Target Name="PublishNativeTool" AfterTargets="Build"[^>]*>\s*<Exec Command="([^"]*)" />""")]
    private static partial Regex PublishTarget();

    /// <summary>Asks a run's JIT to list every method it compiles, in <paramref name="path"/>.</summary>
    private static Dictionary<string, string> JitLog(string path) => new(StringComparer.Ordinal)
    {
        ["DOTNET_JitDisasmSummary"] = "1",
        ["DOTNET_JitStdOutFile"] = path,
    };
}
