using System.Text.Json.Nodes;
using FirewallRules.Fetching;
using FirewallRules.Ranges;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// The store over Datadog's real history. The documents are US1's, stored for EU1: a site whose versions count apart from the
/// snapshot shipped in the library (US1's v59), so that its history from v27 replays on an empty store (SnapshotFirstDocumentTests
/// has US1's first document vetted against the snapshot).
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SnapshotStoreTests : IDisposable
{
    private static readonly IpRangesValidators Validators = new("\"v52\"", new DateTimeOffset(2022, 11, 14, 22, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-store-").FullName;
    private readonly SnapshotStore _store;

    public SnapshotStoreTests() => _store = new SnapshotStore(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task SaveAsync_RealHistoryInOrder_KeepsEveryVersionByteForByte()
    {
        foreach (string path in TestData.IpRangesDocuments)
        {
            await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(path), validators: null);
        }

        IReadOnlyList<long> versions = _store.GetVersions(Site.EU1);
        Assert.That(versions, Is.EqualTo(new long[] { 27, 28, 29, 30, 36, 38, 39, 40, 46, 47, 52, 59 }),
            "the default guard accepts Datadog's real history, including v40 to v46 losing exactly half of three IPv6 sections");
        foreach (long version in versions)
        {
            Assert.That(File.ReadAllBytes(_store.GetPath(Site.EU1, version)), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document((int)version))));
        }

        Assert.That((await _store.GetCurrentAsync(Site.EU1))!.Version, Is.EqualTo(59));
        Assert.That(Directory.GetFiles(Path.Combine(_directory, "datadoghq.eu"), ".*"), Is.Empty, "no temporary file is left behind");
    }

    [Test]
    public async Task SaveAsync_RealV40ToV46UnderAStricterGuard_IsRefusedNamingEverySectionThatShrank()
    {
        var strict = new SnapshotStore(_directory) { MaxAddressLoss = 0.4 };
        await strict.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(40)), validators: null);
        string[] before = FetchTesting.Contents(_directory);

        SnapshotShrinkException error = Assert.ThrowsAsync<SnapshotShrinkException>(
            () => strict.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(46)), validators: null))!;

        Assert.That(error.Shrinkages.Select(s => s.ToString()), Is.EqualTo(new[]
        {
            "agents IPv6: a /55's worth to a /56's worth of addresses (50% lost)",
            "global IPv6: a /55's worth to a /56's worth of addresses (50% lost)",
            "logs IPv6: a /55's worth to a /56's worth of addresses (50% lost)",
        }));
        Assert.That(error.Message, Does.StartWith("refused ip-ranges version 46 for datadoghq.eu: compared with version 40, agents IPv6"));
        Assert.That(error.Message, Does.EndWith("(at most 40% of a section's addresses may go, and none may be emptied)"));
        Assert.That(FetchTesting.Contents(_directory), Is.EqualTo(before));
    }

    [Test]
    public async Task SaveAsync_SectionEmptied_IsRefusedEvenWhenAnyLossIsAllowed()
    {
        var lenient = new SnapshotStore(_directory) { MaxAddressLoss = 1 };
        await lenient.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null);

        SnapshotShrinkException error = Assert.ThrowsAsync<SnapshotShrinkException>(
            () => lenient.SaveAsync(Site.EU1, IpRangesDocument.Parse(DocumentEdits.WithSectionEmptied(52, "logs", 53)), validators: null))!;

        Assert.That(error.Shrinkages.Select(s => s.ToString()), Is.EqualTo(new[]
        {
            "logs IPv4: 4096 to 0 addresses (emptied)",
            "logs IPv6: a /56's worth to none (emptied)",
        }));
        Assert.That(error.RefusedVersion, Is.EqualTo(53));
        Assert.That(error.CurrentVersion, Is.EqualTo(52));
    }

    [Test]
    public async Task SaveAsync_SectionDropped_CountsAsEmptied()
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null);
        byte[] withoutApm = DocumentEdits.Edit(52, root =>
        {
            root["version"] = 53;
            root.Remove("apm");
        });

        SnapshotShrinkException error = Assert.ThrowsAsync<SnapshotShrinkException>(
            () => _store.SaveAsync(Site.EU1, IpRangesDocument.Parse(withoutApm), validators: null))!;

        Assert.That(error.Shrinkages.Select(s => (s.Section, s.IsEmptied)), Is.EqualTo(new[] { ("apm", true), ("apm", true) }));
    }

    [Test]
    public async Task SaveAsync_OlderVersion_IsRefusedUnlessForced()
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), Validators);
        IpRangesDocument older = IpRangesDocument.Load(FetchTesting.Document(47));
        string[] before = FetchTesting.Contents(_directory);

        SnapshotRollbackException error = Assert.ThrowsAsync<SnapshotRollbackException>(() => _store.SaveAsync(Site.EU1, older, validators: null))!;
        Assert.That(FetchTesting.Contents(_directory), Is.EqualTo(before));
        SnapshotUpdate forced = await _store.SaveAsync(Site.EU1, older, validators: null, force: true);

        Assert.That(error.Message, Is.EqualTo(
            "refused ip-ranges version 47 for datadoghq.eu: version 52 is already stored, and versions only go up (a stale mirror or cache, or a rollback?)"));
        Assert.That(forced.Previous!.Version, Is.EqualTo(52));
        Assert.That((await _store.GetCurrentAsync(Site.EU1))!.Version, Is.EqualTo(47), "a forced rollback becomes current");
        Assert.That(_store.GetVersions(Site.EU1), Is.EqualTo(new long[] { 47, 52 }), "and the newer version is kept");
        Assert.That(await _store.GetValidatorsAsync(Site.EU1), Is.Null, "the rolled-back copy came with no validators");
        Assert.That(async () => await _store.SaveAsync(Site.EU1, older, validators: null), Throws.Nothing, "the current version again is no rollback");
    }

    [Test]
    public async Task SaveAsync_SameVersionWithOtherContent_IsRefusedUnlessForced()
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), Validators);
        // The same document re-serialised, as a rewriting mirror would serve it: same version, other bytes.
        string rewritten = JsonNode.Parse(File.ReadAllText(FetchTesting.Document(52)))!.ToJsonString();
        IpRangesDocument impostor = IpRangesDocument.Parse(rewritten);
        string[] before = FetchTesting.Contents(_directory);

        SnapshotConflictException error = Assert.ThrowsAsync<SnapshotConflictException>(() => _store.SaveAsync(Site.EU1, impostor, validators: null))!;
        Assert.That(FetchTesting.Contents(_directory), Is.EqualTo(before), "the stored copy is kept byte for byte");
        await _store.SaveAsync(Site.EU1, impostor, validators: null, force: true);

        Assert.That(error.Message, Does.StartWith("refused ip-ranges version 52 for datadoghq.eu: ").And.Contain("already holds version 52 with different content"));
        Assert.That(File.ReadAllText(_store.GetPath(Site.EU1, 52)), Is.EqualTo(rewritten), "forced, it replaces the stored copy");
    }

    [Test]
    public async Task GetValidatorsAsync_AfterSave_AreThoseOfTheCurrentVersionUntilItsFileIsGone()
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), Validators);

        IpRangesValidators? saved = await _store.GetValidatorsAsync(Site.EU1);
        File.Delete(_store.GetPath(Site.EU1, 52));

        Assert.That(saved, Is.EqualTo(Validators));
        Assert.That(await _store.GetValidatorsAsync(Site.EU1), Is.Null, "validators of a missing copy would make the server say 304 for a document we do not have");
        JsonNode state = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "datadoghq.eu", "current.json")))!;
        Assert.That(state.AsObject().Where(p => p.Key != "sha256").Select(p => $"{p.Key}={p.Value}"),
            Is.EqualTo(new[] { "version=52", "eTag=\"v52\"", "lastModified=2022-11-14T22:00:00+00:00" }), "current.json names the current version and its validators");
        Assert.That(state["sha256"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "52" }), "and the SHA-256 of each version vetted");
    }

    [Test]
    public async Task GetCurrentAsync_ParseOptions_AreUsedToReadTheStoredCopyBack()
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null);
        var small = new SnapshotStore(_directory) { ParseOptions = new IpRangesParseOptions { MaxBytes = 4096 } };

        Assert.That(async () => await small.GetCurrentAsync(Site.EU1),
            Throws.InstanceOf<IpRangesFormatException>().With.Message.EqualTo("the document is larger than the 4096 bytes allowed"));
    }

    [Test]
    public async Task GetCurrentAsync_EmptyStore_IsNullAndCreatesNothing()
    {
        var store = new SnapshotStore(Path.Combine(_directory, "not-yet"));

        Assert.That(await store.GetCurrentAsync(Site.EU1), Is.Null);
        Assert.That(await store.GetValidatorsAsync(Site.EU1), Is.Null);
        Assert.That(store.GetVersions(Site.EU1), Is.Empty);
        Assert.That(Directory.Exists(store.DirectoryPath), Is.False);
    }

    [Test]
    public void GetPath_SitesAndMirrors_HaveTheirOwnDirectories()
    {
        Assert.That(_store.GetPath(Site.EU1, 52), Is.EqualTo(Path.Combine(_directory, "datadoghq.eu", "v52.json")));
        Assert.That(_store.GetPath(Site.Custom(new Uri("http://127.0.0.1:5123/datadog/us1/")), 7),
            Is.EqualTo(Path.Combine(_directory, "127.0.0.1-5123-datadog-us1", "v7.json")));
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    public void MaxAddressLoss_OutsideZeroToOne_Throws(double share)
    {
        Assert.That(() => new SnapshotStore(_directory) { MaxAddressLoss = share }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
