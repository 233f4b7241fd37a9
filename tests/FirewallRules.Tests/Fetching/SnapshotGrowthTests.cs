using System.Net.Sockets;
using FirewallRules.Fetching;
using FirewallRules.Tests.Ranges;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// The growth guard, the shrink guard's mirror: real documents with blocks added, and Datadog's real history (stored for EU1, whose
/// versions count apart from the US1 snapshot shipped in the library, so that the history replays from v27).
/// </summary>
[TestFixture]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public sealed class SnapshotGrowthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fwrules-growth-").FullName;
    private readonly SnapshotStore _store;

    public SnapshotGrowthTests() => _store = new SnapshotStore(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task SaveAsync_LogsGainingTwoHundredPublicSlash8s_IsRefusedUnlessForcedAndTheNextGenuineVersionIsAccepted()
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null);
        string[] before = FetchTesting.Contents(_directory);
        IpRangesDocument grown = IpRangesDocument.Parse(DocumentEdits.WithPublicSlash8sAdded(52, "logs", 200, newVersion: 53));

        SnapshotGrowthException error = Assert.ThrowsAsync<SnapshotGrowthException>(() => _store.SaveAsync(Site.EU1, grown, validators: null))!;

        Assert.That(error.Growths.Select(g => g.ToString()), Is.EqualTo(new[] { "logs IPv4: 4096 to 3355447296 addresses (819201 times as many)" }));
        Assert.That(error.Message, Does.StartWith("refused ip-ranges version 53 for datadoghq.eu: compared with version 52, logs IPv4: 4096 to "));
        Assert.That(error.Message, Does.EndWith("(a section may grow to at most 10 times its addresses, or by at most a /16 in IPv4 or a /48 in IPv6)"));
        Assert.That((error.RefusedVersion, error.CurrentVersion), Is.EqualTo((53L, 52L)));
        Assert.That(FetchTesting.Contents(_directory), Is.EqualTo(before), "nothing was written");
        IpRangesDocument genuine = IpRangesDocument.Parse(DocumentEdits.WithPublicSlash8sAdded(52, "logs", 0, newVersion: 54));
        IpRangesDocument grownAgain = IpRangesDocument.Parse(DocumentEdits.WithPublicSlash8sAdded(52, "logs", 200, newVersion: 55));
        Assert.That(async () => await _store.SaveAsync(Site.EU1, genuine, validators: null), Throws.Nothing,
            "the genuine next version is no shrink, since the grown one was never current");
        Assert.That(async () => await _store.SaveAsync(Site.EU1, grownAgain, validators: null, force: true), Throws.Nothing, "forced, it is stored");
        Assert.That((await _store.GetCurrentAsync(Site.EU1))!.Version, Is.EqualTo(55));
    }

    [TestCase("3.0.0.0/16", false)]
    [TestCase("3.0.0.0/15", true)]
    [TestCase("2600:1f00::/48", false)]
    [TestCase("2600:1f00::/47", true)]
    public async Task SaveAsync_GrowthAroundTheFloor_IsRefusedOnlyAboveIt(string added, bool refused)
    {
        await _store.SaveAsync(Site.EU1, IpRangesDocument.Load(FetchTesting.Document(52)), validators: null);
        // webhooks: 143 IPv4 addresses (/32s) and no IPv6 in v52, so any of these is hundreds of times as many, or a first IPv6 block.
        IpRangesDocument grown = IpRangesDocument.Parse(DocumentEdits.Edit(52, root =>
        {
            root["version"] = 53;
            root["webhooks"]![added.Contains(':', StringComparison.Ordinal) ? "prefixes_ipv6" : "prefixes_ipv4"]!.AsArray().Add(added);
        }));

        Task save = _store.SaveAsync(Site.EU1, grown, validators: null);

        Assert.That(async () => await save, refused ? Throws.TypeOf<SnapshotGrowthException>() : Throws.Nothing);
    }

    [Test]
    public async Task SaveAsync_RealHistoryUnderAStricterFactor_IsStillAcceptedBecauseNoRealGrowthPassedTheFloor()
    {
        var strict = new SnapshotStore(_directory) { MaxAddressGrowth = 1 };

        foreach (string path in TestData.IpRangesDocuments)
        {
            await strict.SaveAsync(Site.EU1, IpRangesDocument.Load(path), validators: null);
        }

        Assert.That((await strict.GetCurrentAsync(Site.EU1))!.Version, Is.EqualTo(59),
            "orchestrator's 16 to 4096 IPv4 (256 times) and the new IPv6 sections are all under a /16 or a /48 of growth");
    }

    [TestCase(0.5)]
    [TestCase(double.NaN)]
    public void MaxAddressGrowth_BelowOne_Throws(double factor)
    {
        Assert.That(() => new SnapshotStore(_directory) { MaxAddressGrowth = factor }, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void SectionGrowth_IPv6Counts_AreSaidInPrefixSizesNotTwentyDigitNumbers()
    {
        UInt128 slash56 = UInt128.One << 72, slash47 = UInt128.One << 81;

        Assert.That(new SectionGrowth("logs", AddressFamily.InterNetworkV6, slash56, slash47 + slash56).ToString(),
            Is.EqualTo("logs IPv6: a /56's worth to more than a /47's worth of addresses (513 times as many)"));
        Assert.That(new SectionGrowth("webhooks", AddressFamily.InterNetworkV6, UInt128.Zero, UInt128.One << 84).ToString(),
            Is.EqualTo("webhooks IPv6: none to a /44's worth of addresses (none before)"));
        Assert.That(new SectionShrinkage("logs", AddressFamily.InterNetworkV6, UInt128.One << 88, UInt128.One << 80).ToString(),
            Is.EqualTo("logs IPv6: a /40's worth to a /48's worth of addresses (99% lost)"));
        Assert.That(new SectionShrinkage("apm", AddressFamily.InterNetworkV6, slash56, UInt128.Zero).ToString(), Is.EqualTo("apm IPv6: a /56's worth to none (emptied)"));
        Assert.That(new SectionGrowth("logs", AddressFamily.InterNetwork, 6400, 3607101440).ToString(),
            Is.EqualTo("logs IPv4: 6400 to 3607101440 addresses (563609 times as many)"), "IPv4 counts stay numbers");
    }

    [Test]
    public void SectionShrinkage_NearlyAllLost_IsNeverPrintedAsAHundredPercent()
    {
        Assert.That(new SectionShrinkage("logs", AddressFamily.InterNetwork, 102400, 512).ToString(),
            Is.EqualTo("logs IPv4: 102400 to 512 addresses (99% lost)"));
        Assert.That(new SectionShrinkage("logs", AddressFamily.InterNetworkV6, UInt128.One << 96, UInt128.One << 30).ToString(),
            Does.EndWith("(99% lost)"), "a loss a double rounds to 1 is still short of all");
        Assert.That(new SectionShrinkage("logs", AddressFamily.InterNetwork, 4096, 2047).ToString(), Does.EndWith("(50% lost)"));
    }
}
