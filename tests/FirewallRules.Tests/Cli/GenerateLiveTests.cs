using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Cli;

/// <summary><c>generate --live</c> against a real server on loopback.</summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class GenerateLiveTests
{
    private IpRangesServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await IpRangesServer.StartAsync(FetchTesting.Document(46));

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Generate_LiveFromAMirror_RendersTheFetchedDocument()
    {
        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null,
            "generate", "-f", "listing", "-s", "logs", "--live", "--base-url", _server.BaseUri.AbsoluteUri);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Does.Contain("from ip-ranges version 46 (2021-12-07T10:00:00Z)").And.Not.Contain("not the live list"));
        Assert.That(result.Output, Does.StartWith("datadog-egress-tcp-443 [logs]: "), "v46 logs lists four IPv4 prefixes");
        Assert.That(_server.Hits, Is.EqualTo(1));
    }

    [Test]
    public async Task Generate_LiveWhenTheServerKeepsFailing_ExitsThreeAndWritesNothing()
    {
        _server.Always(IpRangesServer.Status(503));

        ProcessResult result = await FwrulesProcess.RunAsync(null,
            "generate", "-f", "windows", "-s", "logs", "--live", "--base-url", _server.BaseUri.AbsoluteUri, "--retries", "0");

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error, Does.Contain("503"));
    }

    [Test]
    public async Task Generate_LiveWithRetries_PrintsOneLinePerRetryWithCauseAndWait()
    {
        _server.Enqueue(IpRangesServer.Status(503, retryAfter: "0"), IpRangesServer.Status(502, retryAfter: "0"));

        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null,
            "generate", "-f", "listing", "-s", "logs", "--live", "--base-url", _server.BaseUri.AbsoluteUri, "--retries", "3");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string[] retries = result.Error.Split('\n').Where(line => line.StartsWith("fwrules: warning: attempt", StringComparison.Ordinal)).ToArray();
        Assert.That(retries, Is.EqualTo(new[]
        {
            "fwrules: warning: attempt 1 of 4 failed (HTTP 503 (ServiceUnavailable)); retrying in 0.0 s",
            "fwrules: warning: attempt 2 of 4 failed (HTTP 502 (BadGateway)); retrying in 0.0 s",
        }));
    }

    [Test]
    public async Task Generate_LiveWithRetriesAndQuiet_PrintsNothing()
    {
        _server.Enqueue(IpRangesServer.Status(503, retryAfter: "0"));

        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null,
            "generate", "-f", "listing", "-s", "logs", "--live", "--base-url", _server.BaseUri.AbsoluteUri, "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Error, Is.Empty);
        Assert.That(_server.Hits, Is.EqualTo(2));
    }

    [Test]
    public async Task Generate_TenRetriesOfAFailingServer_MakesElevenAttempts()
    {
        _server.Always(IpRangesServer.Status(503, retryAfter: "0"));

        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null,
            "generate", "-f", "listing", "-s", "logs", "--live", "--base-url", _server.BaseUri.AbsoluteUri, "--retries", "10", "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
        Assert.That(_server.Hits, Is.EqualTo(11), "the circuit breaker must not cut one call's retries short");
        Assert.That(result.Error, Does.Contain("(11 attempts): HTTP 503"));
    }

    [Test]
    public async Task Generate_FailureThatChangesBetweenAttempts_KeepsTheFirstCause()
    {
        _server.Enqueue(IpRangesServer.Status(503, retryAfter: "0"));
        _server.Always(IpRangesServer.Status(404));

        ProcessResult result = await FwrulesInProcess.RunWithAsync(ListingEmitter.Registry, null,
            "generate", "-f", "listing", "-s", "logs", "--live", "--base-url", _server.BaseUri.AbsoluteUri, "--quiet");

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Error);
        Assert.That(result.Error, Does.Contain("HTTP 404").And.Contain("the first attempt failed with: HTTP 503 (ServiceUnavailable)"));
    }

    [TestCase("--site", "eu1")]
    [TestCase("--live", "--input", "x.json")]
    [TestCase("--base-url", "ftp://example.com/")]
    [TestCase("--base-url", "http://example.com/")]
    [TestCase("--site", "eu9")]
    public async Task Generate_SiteOrInputContradictions_AreUsageErrors(params string[] extra)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", "windows", "-s", "logs", .. extra]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
    }
}
