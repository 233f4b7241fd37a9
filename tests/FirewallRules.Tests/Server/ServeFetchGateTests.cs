using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// The mirror's refresher is not gated by a circuit breaker: every attempt its log announces is a real request, so a cold
/// mirror is ready as soon as the upstream returns; a <c>--listen</c> address the host lacks is one line and exit 1.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeFetchGateTests
{
    [Test]
    public async Task ColdStart_MoreFailuresThanTheBreakersThreshold_EveryAnnouncedAttemptIsARequestAndReadyAtOnce()
    {
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-gate-").FullName;
        try
        {
            await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(47));
            upstream.Enqueue([.. Enumerable.Repeat(IpRangesServer.Status(503), 12)]);
            await using MirrorProcess mirror = await MirrorProcess.StartAsync(
                "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", cache, "--refresh", "1s", "--retries", "0");
            using HttpClient http = MirrorClient.Create(mirror.BaseUri);

            await MirrorClient.WaitReadyAsync(http);

            Assert.That(mirror.Log, Does.Not.Contain("circuit breaker"));
            Assert.That(
                mirror.Log.Split('\n').Count(line => line.Contains("us1: fetch result failed: could not fetch", StringComparison.Ordinal)
                    && line.Contains("HTTP 503", StringComparison.Ordinal)),
                Is.EqualTo(12), "twelve failed requests, each a request and each announced\n" + mirror.Log);
            Assert.That(upstream.Hits, Is.GreaterThanOrEqualTo(13));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Test]
    public void Serve_ListenOnAnAddressTheHostLacks_OneLineAndExitOne()
    {
        LinuxTools.Require("ip", "sysctl");
        using NetworkNamespace ns = NetworkNamespace.Create();
        string cache = Directory.CreateTempSubdirectory("fwrules-serve-bind-").FullName;
        try
        {
            ToolResult run = ns.Exec("timeout", "25", FwrulesProcess.Tool, "serve", "--listen", "192.0.2.1:8080", "--cache", cache);

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Error);
            Assert.That(run.Error, Is.EqualTo("fwrules: cannot listen on 192.0.2.1:8080: Cannot assign requested address (is it an address of this host?)\n"));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
