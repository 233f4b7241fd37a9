using System.Globalization;
using System.Net.Sockets;
using FirewallRules.Ranges;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Fetching;

/// <summary>What a document is vetted against: the newest vetted document known, the snapshot shipped in the library among them.</summary>
public sealed partial class SnapshotStore
{
    /// <summary>
    /// The document a new one is vetted against, and how a refusal names it: the newest the store proves it
    /// vetted (<paramref name="stored"/>), or the snapshot shipped in the library (<see cref="IpRangesDocument.Embedded"/>, a vetted
    /// document of Datadog's US1 site) when that is newer or the store holds none, so that an empty cache takes no first document
    /// on trust. The snapshot is US1's alone: another site or a mirror counts its versions apart and publishes other addresses,
    /// so its first document is vetted against the snapshot for growth only (a Datadog section is a few thousand addresses, far
    /// below the /16 a refused growth must add).
    /// </summary>
    private static Baseline BaselineFor(Site site, IpRangesDocument? stored)
    {
        IpRangesDocument shipped = IpRangesDocument.Embedded;
        bool snapshotsSite = !site.IsCustom && site.Domain == Site.US1.Domain;
        if (stored is not null && (!snapshotsSite || stored.Version >= shipped.Version))
        {
            return new Baseline(stored, string.Create(CultureInfo.InvariantCulture, $"version {stored.Version}"), Holds: null, GrowthOnly: false);
        }

        string holds = stored is null ? "the cache holds none" : string.Create(CultureInfo.InvariantCulture, $"the cache holds version {stored.Version}");
        return new Baseline(shipped, string.Create(CultureInfo.InvariantCulture, $"version {shipped.Version} (the snapshot shipped in the library; {holds})"),
            holds, GrowthOnly: !snapshotsSite);
    }

    private void Refuse(Site site, IpRangesDocument? current, IpRangesDocument offered)
    {
        string source = SourceName(site);
        Baseline baseline = BaselineFor(site, current);
        IpRangesDocument last = baseline.Document;
        if (!baseline.GrowthOnly && offered.Version < last.Version)
        {
            throw baseline.Holds is null
                ? new SnapshotRollbackException(source, offered.Version, last.Version)
                : new SnapshotRollbackException(source, offered.Version, last.Version, baseline.Holds);
        }

        RefuseJump(source, current?.Version, offered.Version);
        if (!baseline.GrowthOnly)
        {
            RefuseShrink(source, last, offered, baseline.Shown);
        }

        var growths = new List<SectionGrowth>();
        foreach (IpRangesSection after in offered.SectionList)
        {
            // A section new in this document counts from nothing: a section a host asks for by name must not arrive wide open either.
            PrefixSet before = last.TryGetSection(after.Name, out IpRangesSection? section) ? section.Prefixes : PrefixSet.Empty;
            AddIfGrown(growths, after.Name, AddressFamily.InterNetwork, before.IPv4AddressCount, after.Prefixes.IPv4AddressCount, MinRefusedGrowthIPv4);
            AddIfGrown(growths, after.Name, AddressFamily.InterNetworkV6, before.IPv6AddressCount, after.Prefixes.IPv6AddressCount, MinRefusedGrowthIPv6);
        }

        if (growths.Count > 0)
        {
            throw new SnapshotGrowthException(source, offered.Version, last.Version, baseline.Shown, growths, MaxAddressGrowth);
        }
    }

    private void RefuseShrink(string source, IpRangesDocument last, IpRangesDocument offered, string shown)
    {
        var shrinkages = new List<SectionShrinkage>();
        foreach (IpRangesSection before in last.SectionList)
        {
            PrefixSet after = offered.TryGetSection(before.Name, out IpRangesSection? section) ? section.Prefixes : PrefixSet.Empty;
            AddIfShrunk(shrinkages, before.Name, AddressFamily.InterNetwork, before.Prefixes.IPv4AddressCount, after.IPv4AddressCount);
            AddIfShrunk(shrinkages, before.Name, AddressFamily.InterNetworkV6, before.Prefixes.IPv6AddressCount, after.IPv6AddressCount);
        }

        if (shrinkages.Count > 0)
        {
            throw new SnapshotShrinkException(source, offered.Version, last.Version, shown, shrinkages, MaxAddressLoss);
        }
    }

    /// <summary>
    /// Says, on <see cref="Logger"/>, that a mirror's first document (<paramref name="previous"/> null: the store held none) is older
    /// than the snapshot shipped in the library: a mirror counts its versions apart, so only its growth was vetted, and an old copy
    /// (Datadog's v27 of 2019 lists 436 addresses v59 no longer does) would be stored and used without a word. Its <c>modified</c>
    /// dates it; a document without one (or with one in no format Datadog has used) is dated by its version alone, below the
    /// snapshot's. A warning, not a refusal: the mirror may serve another site, whose document can be current and older than
    /// US1's snapshot, and its <c>modified</c> and version are its own word.
    /// </summary>
    private void WarnIfOlderThanSnapshot(Site site, IpRangesDocument? previous, IpRangesDocument document)
    {
        IpRangesDocument shipped = IpRangesDocument.Embedded;
        if (Logger is null || !site.IsCustom || previous is not null)
        {
            return;
        }

        if (document.Modified is null ? document.Version < shipped.Version : document.Modified < shipped.Modified)
        {
            OlderThanSnapshot(Logger, SourceName(site), document.Version, Dated(document), shipped.Version, Day(shipped.Modified), null);
        }

        static string Dated(IpRangesDocument document) =>
            document.Modified is null ? "carries no date (no modified in a known format), and its version is below" : $"was modified {Day(document.Modified)}, before";

        static string Day(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>The store's line for <see cref="WarnIfOlderThanSnapshot"/> (event 2 of its category; see <see cref="Adopted"/> for why it is defined here).</summary>
    private static readonly Action<ILogger, string, long, string, long, string, Exception?> OlderThanSnapshot =
        LoggerMessage.Define<string, long, string, long, string>(
            LogLevel.Warning,
            new EventId(2, "FirstDocumentOlderThanSnapshot"),
            "{Source}: ip-ranges version {Version}, the first document the cache holds, {Dated} version {ShippedVersion}, the snapshot "
                + "shipped in the library (modified {ShippedModified}): the mirror may serve an old copy, holding addresses Datadog no longer publishes; "
                + "it is used (a mirror counts its versions apart, so only its growth is vetted): check the mirror");

    /// <summary>The document vetted against, as a refusal names it; what the cache holds when it is the shipped snapshot; whether only growth is vetted.</summary>
    private sealed record Baseline(IpRangesDocument Document, string Shown, string? Holds, bool GrowthOnly);
}
