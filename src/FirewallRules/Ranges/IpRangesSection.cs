using System.Collections.Frozen;
using System.Net;
using FirewallRules.IO;
using FirewallRules.Names;

namespace FirewallRules.Ranges;

/// <summary>
/// One section of an ip-ranges document: its prefixes exactly as listed, and aggregated. For
/// <c>synthetics</c>, also the prefixes of each location (keys such as <c>aws:eu-west-1</c>).
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class IpRangesSection
{
    private static readonly ListedPrefixes<uint> NoIPv4 = new PrefixBlocks().ListedIPv4();
    private static readonly ListedPrefixes<UInt128> NoIPv6 = new PrefixBlocks().ListedIPv6();
    private readonly ListedPrefixes<uint> _listedIPv4;
    private readonly ListedPrefixes<UInt128> _listedIPv6;

    private IpRangesSection(string name, PrefixBlocks listed, IReadOnlyDictionary<string, PrefixSet> prefixesByLocation)
    {
        Name = name;
        KnownSection = Sections.TryParse(name, out Section known) && Sections.GetName(known) == name ? known : null;
        _listedIPv4 = listed.ListedIPv4();
        _listedIPv6 = listed.ListedIPv6();
        Prefixes = listed.ToPrefixSet();
        PrefixesByLocation = prefixesByLocation;
    }

    /// <summary>The section's key in the document, e.g. <c>logs</c> or <c>remote-configuration</c>.</summary>
    public string Name { get; }

    /// <summary>The known section this is, or null for a section this library does not know yet.</summary>
    public Section? KnownSection { get; }

    /// <summary>The IPv4 prefixes exactly as the document lists them (order and duplicates kept).</summary>
    public IReadOnlyList<IPNetwork> ListedIPv4 => _listedIPv4;

    /// <summary>The IPv6 prefixes exactly as the document lists them (order and duplicates kept).</summary>
    public IReadOnlyList<IPNetwork> ListedIPv6 => _listedIPv6;

    /// <summary>All of the section's addresses, aggregated (IPv4 and IPv6).</summary>
    public PrefixSet Prefixes { get; }

    /// <summary>
    /// The aggregated prefixes of each location (both families), for sections that list them
    /// (<c>synthetics</c>); empty otherwise. Keys are as in the document.
    /// </summary>
    public IReadOnlyDictionary<string, PrefixSet> PrefixesByLocation { get; }

    /// <summary>Whether the section lists no prefix at all: an allow-list built from it would allow nothing.</summary>
    public bool IsEmpty => Prefixes.IsEmpty;

    /// <summary>Parses a per-section document (<c>https://ip-ranges.&lt;site&gt;/&lt;section&gt;.json</c>): the section's fields at the root.</summary>
    /// <exception cref="IpRangesFormatException">The document is malformed; the message says where.</exception>
    public static IpRangesSection Parse(string name, ReadOnlySpan<byte> utf8Json, IpRangesParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        options ??= IpRangesParseOptions.Default;
        if (utf8Json.Length > options.MaxBytes)
        {
            throw new IpRangesFormatException($"the document is {utf8Json.Length} bytes, more than the {options.MaxBytes} allowed", location: null);
        }

        return FromFields(IpRangesJsonReader.ReadSectionDocument(name, utf8Json, options));
    }

    internal static IpRangesSection FromFields(IpRangesJsonReader.SectionFields fields)
    {
        FrozenDictionary<string, PrefixSet> locations = fields.ByLocation.ToFrozenDictionary(
            pair => pair.Key, pair => pair.Value.ToPrefixSet(), StringComparer.Ordinal);
        return new IpRangesSection(fields.Name, fields.Listed, locations);
    }

    /// <summary>What changed in the IPv4 list from <paramref name="older"/> to <paramref name="newer"/> (either absent).</summary>
    internal static PrefixChange CompareIPv4(IpRangesSection? older, IpRangesSection? newer) => PrefixChange.Between(
        older?._listedIPv4 ?? NoIPv4, newer?._listedIPv4 ?? NoIPv4, older?.Prefixes.IPv4 ?? PrefixSet.Empty, newer?.Prefixes.IPv4 ?? PrefixSet.Empty);

    /// <summary>What changed in the IPv6 list from <paramref name="older"/> to <paramref name="newer"/> (either absent).</summary>
    internal static PrefixChange CompareIPv6(IpRangesSection? older, IpRangesSection? newer) => PrefixChange.Between(
        older?._listedIPv6 ?? NoIPv6, newer?._listedIPv6 ?? NoIPv6, older?.Prefixes.IPv6 ?? PrefixSet.Empty, newer?.Prefixes.IPv6 ?? PrefixSet.Empty);

    /// <summary>
    /// Section names and location keys come from the network and end up in rule names and comments: only keys
    /// (<see cref="NameRules.IsKey"/>) get in.
    /// </summary>
    internal static string CheckKey(string key, string what, string? location)
    {
        if (!NameRules.IsKey(key))
        {
            throw new IpRangesFormatException(
                $"{what} \"{TerminalText.Escape(key, NameRules.MaxKeyLength)}\" is not allowed: use {NameRules.KeyRule}", location);
        }

        return key;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Prefixes.IPv4.Count} IPv4 and {Prefixes.IPv6.Count} IPv6 prefixes";
}
