using System.Security;
using System.Text.Json.Nodes;
using FirewallRules.Fetching;
using FirewallRules.IO;
using FirewallRules.Tests.Ranges;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// The cache is evidence, not authority: the snapshot store records each document's SHA-256 when it vets it and reads a
/// file back only while it still hashes to that record; a 0.1.0 cache's current version is adopted once; a version far
/// ahead of the newest known (the shipped snapshot too) is refused on an empty cache; a directory, or a file in it, someone else
/// may write is refused before anything is read from it. Against a real server on 127.0.0.1 and the real file system.
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Platform("Linux")]
public sealed class SnapshotVettingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-vetting-").FullName;
    private readonly SnapshotStore _store;

    public SnapshotVettingTests() => _store = new SnapshotStore(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string SiteDirectory => Path.Combine(_directory, "datadoghq.com");

    [Test]
    public async Task GetCurrentAsync_CopyEditedInPlaceAfterItWasVetted_IsRefusedAndTheLastProvenCopyIsTheFallback()
    {
        await SaveAsync(52, 59);
        CacheTampering.EditInPlace(_store.GetPath(Site.US1, 59));

        SnapshotUnvettedException refused = Assert.ThrowsAsync<SnapshotUnvettedException>(() => _store.GetCurrentAsync(Site.US1))!;
        (IpRangesDocument? fallback, SnapshotUnvettedException? passedOver) = await _store.GetNewestVettedAsync(Site.US1, CancellationToken.None);

        Assert.That(refused.Message, Is.EqualTo($"{_store.GetPath(Site.US1, 59)} no longer holds ip-ranges version 59 as the cache vetted it (its SHA-256 is not the "
            + "one recorded when it was stored: changed since, by hand or tampering?)"));
        Assert.That(fallback!.Version, Is.EqualTo(52));
        Assert.That(passedOver!.Version, Is.EqualTo(59));
        Assert.That(await _store.GetValidatorsAsync(Site.US1), Is.Null, "no conditional GET for a copy that cannot be proven");
    }

    [Test]
    public async Task UpdateAsync_CurrentEditedInPlace_FetchesItWholeAndReplacesTheEditWithTheVettedCopy()
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(59));
        var site = Site.Custom(server.BaseUri);
        IpRangesClient client = IpRangesClient.Create(FetchTesting.Options());
        await _store.UpdateAsync(client, site);
        string path = _store.GetPath(site, 59);
        CacheTampering.EditInPlace(path);

        SnapshotUpdate update = await _store.UpdateAsync(client, site);

        Assert.That(server.Requests[^1].IfNoneMatch, Is.Empty, "fetched whole: a 304 would leave nothing to replace the edit with");
        Assert.That(update.IsNotModified, Is.False);
        Assert.That(update.ReplacedUnvetted?.FilePath, Is.EqualTo(path));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
        Assert.That((await _store.GetCurrentAsync(site))!.Utf8Json.ToArray(), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
    }

    [Test]
    public async Task PlantedVersionFile_IsNeverVettedAndAFetchOfThatVersionReplacesIt()
    {
        await SaveAsync(52);
        string planted = _store.GetPath(Site.US1, 58);
        File.WriteAllBytes(planted, CacheTampering.Forged(52, 58));
        File.WriteAllBytes(_store.GetPath(Site.US1, 59), CacheTampering.Forged(59, 59));

        IpRangesDocument? vetted = await _store.GetVettedOrNullAsync(Site.US1, 58, CancellationToken.None);
        SnapshotUpdate saved = await _store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(59)), validators: null);

        Assert.That(vetted, Is.Null, "no SHA-256 recorded for it");
        Assert.That(saved.Previous!.Version, Is.EqualTo(52), "compared with the newest vetted copy");
        Assert.That(saved.ReplacedUnvetted!.Message, Does.Contain("was never vetted by the cache (no SHA-256 is recorded for ip-ranges version 59"));
        Assert.That((await _store.GetCurrentAsync(Site.US1))!.Utf8Json.ToArray(), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
    }

    [Test]
    public async Task SaveAsync_SameVersionWithOtherContentThanTheOneVetted_IsStillAConflict()
    {
        await SaveAsync(59);

        Assert.ThrowsAsync<SnapshotConflictException>(() => _store.SaveAsync(Site.US1, IpRangesDocument.Parse(CacheTampering.Forged(59, 59)), validators: null));
        Assert.That((await _store.GetCurrentAsync(Site.US1))!.Utf8Json.ToArray(), Is.EqualTo(File.ReadAllBytes(FetchTesting.Document(59))));
    }

    [Test]
    public async Task CacheOfZeroPointOne_CurrentVersionIsAdoptedOnceWithAWarningAndTheOthersAreNoLongerRead()
    {
        await SaveAsync(52, 59);
        string state = Path.Combine(SiteDirectory, "current.json");
        JsonObject old = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
        old.Remove("sha256"); // as fwrules 0.1.0 wrote it
        File.WriteAllText(state, old.ToJsonString());
        using var log = new RecordingLoggerProvider();
        var upgraded = new SnapshotStore(_directory) { Logger = log.CreateLogger("store") };

        IpRangesDocument? current = await upgraded.GetCurrentAsync(Site.US1);
        IpRangesDocument? earlier = await upgraded.GetVettedOrNullAsync(Site.US1, 52, CancellationToken.None);
        await upgraded.GetCurrentAsync(Site.US1);
        CacheTampering.EditInPlace(upgraded.GetPath(Site.US1, 59));

        Assert.That(current!.Version, Is.EqualTo(59));
        Assert.That(earlier, Is.Null, "only the current version is adopted");
        Assert.That(log.Entries.Select(e => (e.Level, e.Message)), Is.EqualTo(new[]
        {
            (LogLevel.Warning, "datadoghq.com: the cache was written by fwrules 0.1.0, which recorded no SHA-256 of the documents it vetted: ip-ranges version 59 "
                + $"({upgraded.GetPath(Site.US1, 59)}) is adopted as vetted, as it is now, and its SHA-256 recorded; the earlier versions stored are no longer read"),
        }), "adopted once: the second read finds the record");
        Assert.That(JsonNode.Parse(File.ReadAllText(state))!["sha256"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "59" }));
        Assert.ThrowsAsync<SnapshotUnvettedException>(() => upgraded.GetCurrentAsync(Site.US1), "an edit after the adoption is caught");
    }

    [TestCase(59 + 1000, false)]
    [TestCase(59 + 1001, true)]
    [TestCase(long.MaxValue, true)]
    public async Task SaveAsync_EmptyStore_RefusesAVersionMoreThanTheJumpAheadOfTheShippedSnapshot(long version, bool refused)
    {
        IpRangesDocument document = IpRangesDocument.Parse(DocumentEdits.Edit(59, root => root["version"] = version));

        Task<SnapshotUpdate> save = _store.SaveAsync(Site.US1, document, validators: null);

        if (refused)
        {
            SnapshotVersionJumpException error = Assert.ThrowsAsync<SnapshotVersionJumpException>(() => save)!;
            Assert.That(error.Message, Does.StartWith($"refused ip-ranges version {version} for datadoghq.com: it is more than 1000 versions ahead of version 59, "
                + "the newest known (the snapshot shipped in the library; the cache holds none)"));
            Assert.That(_store.GetVersions(Site.US1), Is.Empty, "nothing stored");
            Assert.That((await _store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(59)), validators: null)).Current.Version, Is.EqualTo(59),
                "the next real version is taken");
        }
        else
        {
            Assert.That((await save).Current.Version, Is.EqualTo(version));
        }
    }

    [Test]
    public async Task SaveAsync_StoreOlderThanTheShippedSnapshot_CountsTheJumpFromTheShippedOne()
    {
        await SaveAsync(46);

        SnapshotVersionJumpException error = Assert.ThrowsAsync<SnapshotVersionJumpException>(
            () => _store.SaveAsync(Site.US1, IpRangesDocument.Parse(DocumentEdits.Edit(46, root => root["version"] = 59 + 1001)), validators: null))!;

        Assert.That(error.Message, Does.Contain("ahead of version 59, the newest known (the snapshot shipped in the library; the cache holds version 46)"));
        Assert.That(error.CurrentVersion, Is.EqualTo(46));
    }

    [TestCase("store", 0x1FF, false)]
    [TestCase("store", 0x1ED, true)]
    [TestCase("site", 0x1F8, false)]
    [TestCase("site", 0x1EF, false)]
    public async Task Store_DirectoryOthersMayWriteOrAnotherUserOwns_IsRefusedBeforeAnythingIsRead(string which, int mode, bool nobody)
    {
        await SaveAsync(59);
        string directory = which == "store" ? _directory : SiteDirectory;
        File.SetUnixFileMode(directory, (UnixFileMode)mode);
        if (nobody)
        {
            UnixFileStatus.SetOwner(directory, 65534, 65534);
        }

        SecurityException error = Assert.CatchAsync<SecurityException>(() => _store.GetCurrentAsync(Site.US1))!;

        Assert.That(error.Message, Does.StartWith($"refusing {directory}: "));
        Assert.That(error.Message, nobody
            ? Does.Contain("owned by uid 65534, neither root nor the user running fwrules").And.EndWith($"(chown 0 {directory}) or choose another directory")
            : Does.Contain($"may write it (mode 0{Convert.ToString(mode, 8)})").And.EndWith($"(chmod go-w {directory})"));
        Assert.Catch<SecurityException>(() => _store.GetVersions(Site.US1));
        Assert.CatchAsync<SecurityException>(() => _store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(59)), validators: null));
    }

    [TestCase("current.json", 0x1B6, false)]
    [TestCase("current.json", 0x1A4, true)]
    [TestCase("v59.json", 0x1B4, false)]
    [TestCase("v59.json", 0x1A4, true)]
    public async Task Store_FileOthersMayWriteOrAnotherUserOwns_IsRefusedThoughItsDirectoryIsSound(string name, int mode, bool nobody)
    {
        await SaveAsync(59);
        string file = Path.Combine(SiteDirectory, name);
        File.SetUnixFileMode(file, (UnixFileMode)mode);
        if (nobody)
        {
            UnixFileStatus.SetOwner(file, 65534, 65534);
        }

        SecurityException error = Assert.CatchAsync<SecurityException>(() => _store.GetCurrentAsync(Site.US1))!;

        Assert.That(error.Message, Does.StartWith($"refusing {file}: "));
        Assert.That(error.Message, nobody
            ? Does.Contain("owned by uid 65534, neither root nor the user running fwrules").And.EndWith($"(chown 0 {file}) or choose another directory")
            : Does.Contain($"may write it (mode 0{Convert.ToString(mode, 8)})").And.EndWith($"(chmod go-w {file})"));
    }

    // A cache holding these real versions, as fwrules before the snapshot vetted a first document, or fetch --force, left it: the
    // versions older than the snapshot shipped would be refused by a save that is not forced.
    private async Task SaveAsync(params int[] versions)
    {
        foreach (int version in versions)
        {
            await _store.SaveAsync(Site.US1, IpRangesDocument.Load(FetchTesting.Document(version)), validators: null, force: true);
        }
    }
}
