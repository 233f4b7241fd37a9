using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// <c>generate -f cilium --by-name --live</c> through the tool's own mirror (a running <c>fwrules serve</c> on 127.0.0.1,
/// mirroring a real document from a loopback upstream): the host names depend on the site only, which <c>--site</c> names
/// next to <c>--base-url</c>; the document's version is the mirror's.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class GenerateByNameThroughMirrorTests
{
    private const int Version = 52;
    private IpRangesServer _upstream = null!;
    private MirrorProcess _mirror = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartMirror()
    {
        _work = Directory.CreateTempSubdirectory("fwrules-byname-").FullName;
        _upstream = await IpRangesServer.StartAsync(FetchTesting.Document(Version));
        _mirror = await MirrorProcess.StartAsync("--site", "us1", "--base-url", _upstream.BaseUri.AbsoluteUri, "--cache", Path.Combine(_work, "cache"));
        using HttpClient http = MirrorClient.Create(_mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);
    }

    [OneTimeTearDown]
    public async Task StopMirror()
    {
        await _mirror.DisposeAsync();
        await _upstream.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [TestCase("us1", "datadoghq.com")]
    [TestCase("eu1", "datadoghq.eu")]
    public async Task GenerateCiliumByName_LiveThroughTheMirrorWithSite_AllowsThatSitesHostNames(string site, string domain)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "-s", "logs", "--live", "--base-url", _mirror.Site("us1").AbsoluteUri, "--site", site, "--retries", "0");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain($"matchName: agent-http-intake.logs.{domain}\n"));
        // Logs over TCP on 10516 have an intake on US1 only (EU1's listens on 443): the same decision as the lists of names.
        Assert.That(result.Output, site == "us1" ? Does.Contain($"matchName: agent-intake.logs.{domain}\n") : Does.Not.Contain("agent-intake.logs."));
        Assert.That(result.Output, Does.Not.Contain("toCIDRSet"), "names, not ranges");
        Assert.That(result.Error, Does.Contain($"from ip-ranges version {Version} "), "the mirror's document (the embedded snapshot is v59)");
    }

    [Test]
    public async Task GenerateCiliumByName_LiveThroughTheMirrorWithoutSite_ExitsOneAskingForTheAddressForm()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "-s", "logs", "--live", "--base-url", _mirror.Site("us1").AbsoluteUri, "--retries", "0");

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((1, string.Empty)));
        Assert.That(result.Error, Does.Contain("host names are known for Datadog's sites only"));
    }
}
