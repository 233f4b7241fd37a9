using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// <c>serve --otlp</c>: the mirror's System.Diagnostics.Metrics instruments exported over OTLP/HTTP to a real
/// receiver, counters with delta temporality (what Datadog documents for OTLP metrics); nothing without it.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ServeMetricsExportTests
{
    private static readonly Dictionary<string, string> FastExport = new() { ["OTEL_METRIC_EXPORT_INTERVAL"] = "300" };

    private string _cache = null!;

    [SetUp]
    public void CreateCache() => _cache = Directory.CreateTempSubdirectory("fwrules-serve-otlp-").FullName;

    [TearDown]
    public void DeleteCache() => Directory.Delete(_cache, recursive: true);

    [Test]
    public async Task Otlp_ExportsTheMirrorsInstrumentsWithDeltaSums()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(
            FastExport, "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--otlp", receiver.BaseUri.AbsoluteUri);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        await MirrorClient.WaitUntilAsync(
            () => Task.FromResult(receiver.Requests.SelectMany(r => OtlpMetrics.Read(r.Body)).Any(m => m.Name == "fwrules.mirror.document.version")),
            "no OTLP export carried the version in service\n" + mirror.Log);

        OtlpMetrics.Metric[] metrics = [.. receiver.Requests.SelectMany(r => OtlpMetrics.Read(r.Body))];
        Assert.That(receiver.Requests.Select(r => (r.Path, r.ContentType)), Has.All.EqualTo(("/v1/metrics", "application/x-protobuf")));
        Assert.That(metrics.Select(m => m.Scope).Distinct(), Is.EqualTo(new[] { "FirewallRules" }));
        Assert.That(metrics.Where(m => m.Name is "fwrules.mirror.fetches" or "fwrules.mirror.requests"),
            Has.All.Matches<OtlpMetrics.Metric>(m => m.Kind == "sum" && m.Temporality == 1 && m.Monotonic), "monotonic sums with delta temporality (1)");
        Assert.That(metrics.Where(m => m.Name == "fwrules.mirror.document.version").Select(m => m.Kind).Distinct(), Is.EqualTo(new[] { "gauge" }),
            string.Join(", ", metrics.Select(m => $"{m.Name}:{m.Kind}").Distinct()));
    }

    [Test]
    public async Task WithoutOtlp_NothingIsExported()
    {
        await using IpRangesServer upstream = await IpRangesServer.StartAsync(FetchTesting.Document(52));
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>(FastExport) { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseUri.AbsoluteUri };
        await using MirrorProcess mirror = await MirrorProcess.StartAsync(environment, "--site", "us1", "--base-url", upstream.BaseUri.AbsoluteUri, "--cache", _cache);
        using HttpClient http = MirrorClient.Create(mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(http);

        await Task.Delay(TimeSpan.FromSeconds(2)); // several export intervals, were export on

        Assert.That(receiver.Requests, Is.Empty, "OTLP export is off unless --otlp (or Serve:Otlp) names a receiver");
    }
}
