using System.Text.Json.Nodes;
using FirewallRules.Fetching;
using FirewallRules.Tests.Ranges;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// The first document of an empty store is vetted against the snapshot shipped in the library (Datadog's US1 document, v59) as any
/// later one is against the last: for US1 its version order, growth and shrink; for another site or a mirror, which counts its
/// versions apart and publishes other addresses, its growth (every Datadog section is far below the floor a growth must pass).
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SnapshotFirstDocumentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-first-").FullName;
    private readonly SnapshotStore _store;

    public SnapshotFirstDocumentTests() => _store = new SnapshotStore(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Site Mirror { get; } = Site.Custom(new Uri("http://mirror.example:8080/v1/us1/"));

    [Test]
    public void SaveAsync_EmptyStoreFirstDocumentAddingPublicSlash8sToAgents_IsRefusedForDatadogAndForAMirror()
    {
        IpRangesDocument hostile = IpRangesDocument.Parse(DocumentEdits.Edit(59, root =>
        {
            root["version"] = 60;
            foreach (string block in new[] { "3.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8" })
            {
                root["agents"]!["prefixes_ipv4"]!.AsArray().Add(block);
            }
        }));

        foreach (Site site in new[] { Site.US1, Site.EU1, Mirror })
        {
            SnapshotGrowthException error = Assert.ThrowsAsync<SnapshotGrowthException>(() => _store.SaveAsync(site, hostile, validators: null))!;
            Assert.That(error.Message, Does.Contain("compared with version 59 (the snapshot shipped in the library; the cache holds none), agents IPv4: 4096 to "),
                site.ToString());
            Assert.That(_store.GetVersions(site), Is.Empty, $"{site}: nothing was stored");
        }
    }

    [Test]
    public void SaveAsync_EmptyStoreFirstDatadogDocumentOlderThanTheSnapshot_IsRefusedAsARollback()
    {
        foreach (int version in new[] { 27, 52 })
        {
            SnapshotRollbackException error = Assert.ThrowsAsync<SnapshotRollbackException>(
                () => _store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(version)), validators: null))!;
            Assert.That(error.Message, Is.EqualTo($"refused ip-ranges version {version} for datadoghq.com: version 59, the snapshot shipped in the library " +
                "(the cache holds none), is newer, and versions only go up (a stale mirror or cache, or a rollback?)"));
        }

        IpRangesDocument zero = IpRangesDocument.Parse(DocumentEdits.Edit(27, root => root["version"] = 0));
        Assert.ThrowsAsync<SnapshotRollbackException>(() => _store.SaveAsync(Site.US1, zero, validators: null), "version 0");
        Assert.That(_store.GetVersions(Site.US1), Is.Empty, "nothing was stored");
    }

    [Test]
    public void SaveAsync_EmptyStoreFirstDatadogDocumentShrinkingASection_IsRefused()
    {
        // agents is one /20 in v59: a /24 in its place loses 93% of its addresses.
        IpRangesDocument shrunk = IpRangesDocument.Parse(DocumentEdits.Edit(59, root =>
        {
            root["version"] = 60;
            root["agents"]!["prefixes_ipv4"] = new JsonArray("3.233.144.0/24");
        }));

        SnapshotShrinkException error = Assert.ThrowsAsync<SnapshotShrinkException>(() => _store.SaveAsync(Site.US1, shrunk, validators: null))!;

        Assert.That(error.Message, Does.StartWith("refused ip-ranges version 60 for datadoghq.com: compared with version 59 (the snapshot shipped in the library; " +
            "the cache holds none), agents IPv4: "));
        Assert.That(_store.GetVersions(Site.US1), Is.Empty);
    }

    [Test]
    public async Task SaveAsync_MirrorsFirstDocumentModifiedBeforeTheSnapshot_IsStoredWithOneWarning_AnotherSitesOrANewerOneWithout()
    {
        using var log = new RecordingLoggerProvider();
        var store = new SnapshotStore(_directory) { Logger = log.CreateLogger("store") };
        Site newer = Site.Custom(new Uri("http://mirror.example:8080/v1/us1-next/"));

        // Datadog's real v27 (2019) and v52 (2022): the snapshot shipped, v59, is of 2024-10-17.
        await store.SaveAsync(Mirror, IpRangesDocument.Load(FetchTesting.Document(27)), validators: null);
        await store.SaveAsync(Mirror, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null);
        await store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(27)), validators: null);
        await store.SaveAsync(newer, IpRangesDocument.Parse(DocumentEdits.Edit(59, root => root["version"] = 60)), validators: null);

        Assert.That(log.Entries.Select(e => (e.Level, e.Message)), Is.EqualTo(new[]
        {
            (LogLevel.Warning, "http://mirror.example:8080/v1/us1/: ip-ranges version 27, the first document the cache holds, was modified 2019-10-31, before "
                + "version 59, the snapshot shipped in the library (modified 2024-10-17): the mirror may serve an old copy, holding addresses Datadog no longer "
                + "publishes; it is used (a mirror counts its versions apart, so only its growth is vetted): check the mirror"),
        }), "once, for the mirror's first document only: not for its next, nor for Datadog's own site (over TLS), nor for a first document as new as the snapshot");
        Assert.That(store.GetVersions(Mirror), Is.EqualTo(new long[] { 27, 52 }), "stored and used: a warning, not a refusal");
    }

    [Test]
    public async Task SaveAsync_MirrorsFirstDocumentWithoutModified_IsDatedByItsVersion_BelowTheSnapshotsWarned()
    {
        using var log = new RecordingLoggerProvider();
        var store = new SnapshotStore(_directory) { Logger = log.CreateLogger("store") };
        Site newer = Site.Custom(new Uri("http://mirror.example:8080/v1/us1-next/"));

        await store.SaveAsync(Mirror, IpRangesDocument.Parse(DocumentEdits.Edit(27, root => root.Remove("modified"))), validators: null);
        await store.SaveAsync(newer, IpRangesDocument.Parse(DocumentEdits.Edit(59, root => { root.Remove("modified"); root["version"] = 60; })), validators: null);

        Assert.That(log.Entries.Select(e => e.Message), Is.EqualTo(new[]
        {
            "http://mirror.example:8080/v1/us1/: ip-ranges version 27, the first document the cache holds, carries no date (no modified in a known format), "
                + "and its version is below version 59, the snapshot shipped in the library (modified 2024-10-17): the mirror may serve an old copy, holding "
                + "addresses Datadog no longer publishes; it is used (a mirror counts its versions apart, so only its growth is vetted): check the mirror",
        }), "nothing dates it but its version: below the snapshot's, warned; past it, not");
    }

    [Test]
    public async Task SaveAsync_EmptyStoreGenuineFirstDocuments_AreStored()
    {
        IpRangesDocument next = IpRangesDocument.Parse(DocumentEdits.Edit(59, root => root["version"] = 60));

        Assert.That((await _store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(59)), validators: null)).Current.Version, Is.EqualTo(59),
            "the snapshot's own version");
        Assert.That((await _store.SaveAsync(Site.US1, next, validators: null)).Current.Version, Is.EqualTo(60));
        foreach (Site site in new[] { Site.EU1, Mirror })
        {
            // Another site, or a mirror of one, counts its versions apart: an old US1 document stands for one of its own.
            Assert.That((await _store.SaveAsync(site, IpRangesDocument.Load(FetchTesting.Document(27)), validators: null)).Current.Version, Is.EqualTo(27),
                site.ToString());
        }
    }
}
