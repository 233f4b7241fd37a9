using System.Diagnostics.Metrics;
using FirewallRules.Fetching;
using FirewallRules.Rules;
using FirewallRules.Sync;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Sync;

/// <summary>
/// Syncs and applies counted on the <c>FirewallRules</c> meter, read with a <see cref="MeterListener"/> as an exporter
/// would: a host sync run in-process against a real mirror (Kestrel) and a backend that records what it was given.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("RealTools")]
public sealed class SyncMetricsTests
{
    private string _directory = null!;
    private IpRangesServer _server = null!;

    [SetUp]
    public async Task Start()
    {
        _directory = Directory.CreateTempSubdirectory("fwrules-sync-metrics-").FullName;
        _server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
    }

    [TearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task HostSync_AppliedThenUpToDateThenFailed_CountsEachRunByResultAndOneApply()
    {
        using var recorded = new RecordedMeasurements();
        var backend = new RecordingBackend();

        await Sync(backend).RunAsync(CancellationToken.None);
        await Sync(backend).RunAsync(CancellationToken.None);
        _server.Always(IpRangesServer.Status(404));
        Assert.ThrowsAsync<IpRangesFetchException>(() => Sync(backend, new SnapshotStore(Path.Combine(_directory, "empty"))).RunAsync(CancellationToken.None));

        Assert.That(backend.Applies, Is.EqualTo(1));
        Assert.That(recorded.Sum("fwrules.syncs", ("target", "host"), ("result", "applied")), Is.EqualTo(1));
        Assert.That(recorded.Sum("fwrules.syncs", ("target", "host"), ("result", "up_to_date")), Is.EqualTo(1));
        Assert.That(recorded.Sum("fwrules.syncs", ("target", "host"), ("result", "failed")), Is.EqualTo(1));
        Assert.That(recorded.Sum("fwrules.applies", ("target", "host")), Is.EqualTo(1));
    }

    [Test]
    public async Task HostSync_DryRun_CountsAWouldApplyAndNoApply()
    {
        using var recorded = new RecordedMeasurements();
        var backend = new RecordingBackend();
        var dryRun = new FirewallSync(Settings(), Path.Combine(_directory, "state"), Store(), Client(), backend) { DryRun = true };

        await dryRun.RunAsync(CancellationToken.None);

        Assert.That(backend.Applies, Is.Zero);
        Assert.That(recorded.Sum("fwrules.syncs", ("target", "host"), ("result", "would_apply")), Is.EqualTo(1));
        Assert.That(recorded.Sum("fwrules.applies", ("target", "host")), Is.Zero);
    }

    [Test]
    public async Task Instruments_AreDocumentedWithUnits()
    {
        using var recorded = new RecordedMeasurements();

        await Sync(new RecordingBackend()).RunAsync(CancellationToken.None);

        Assert.That(recorded.Instruments.Select(i => (i.Name, i.Unit)), Is.SupersetOf(new[] { ("fwrules.syncs", "{sync}"), ("fwrules.applies", "{apply}") }));
        Assert.That(recorded.Instruments.Where(i => i.Name is "fwrules.syncs" or "fwrules.applies").Select(i => i.Description), Has.All.Not.Empty);
    }

    private FirewallSync Sync(RecordingBackend backend, SnapshotStore? store = null) =>
        new(Settings(), Path.Combine(_directory, "state"), store ?? Store(), Client(), backend) { LockWait = TimeSpan.FromSeconds(5) };

    private SyncSettings Settings() =>
        new(Site.Custom(_server.BaseUri), "nftables", ["logs"], "datadog", null, AddressFamilies.Both, TimeSpan.Zero);

    private SnapshotStore Store() => new(Path.Combine(_directory, "cache"));

    private static IpRangesClient Client() => IpRangesClient.Create(new IpRangesClientOptions { MaxRetryAttempts = 0 });

    /// <summary>A firewall that holds what it was last given, and lists it as one line.</summary>
    private sealed class RecordingBackend : IFirewallBackend
    {
        private string _kernel = string.Empty;

        public int Applies { get; private set; }

        public string Target => "table inet datadog (recorded)";

        public Task<string> ReadKernelAsync(RuleSet rules, CancellationToken cancellationToken) => Task.FromResult(_kernel);

        public bool Holds(RuleSet rules, string listing) => listing.Length > 0;

        public bool InForce(RuleSet rules, string listing, string before) => listing == string.Join(',', rules.Prefixes);

        public IReadOnlyList<HeldSet>? Held(RuleSet rules, string listing) => null;

        public Task ApplyAsync(RuleSet rules, RuleSet? loaded, CancellationToken cancellationToken)
        {
            Applies++;
            _kernel = string.Join(',', rules.Prefixes);
            return Task.CompletedTask;
        }
    }

    /// <summary>Every measurement of the <c>FirewallRules</c> meter's counters while it lives.</summary>
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public RecordedMeasurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "FirewallRules")
                {
                    lock (Instruments)
                    {
                        Instruments.Add(instrument);
                    }

                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, value, tags.ToArray()));
                }
            });
            _listener.Start();
        }

        public List<Instrument> Instruments { get; } = [];

        public long Sum(string name, params (string Key, string Value)[] tags)
        {
            lock (_measurements)
            {
                return _measurements
                    .Where(m => m.Name == name && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value, t.Value))))
                    .Sum(m => m.Value);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
