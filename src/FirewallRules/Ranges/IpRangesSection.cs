using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using FirewallRules.Cidr;
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
    private IpRangesSection(
        string name,
        IReadOnlyList<IPNetwork> listedIPv4,
        IReadOnlyList<IPNetwork> listedIPv6,
        IReadOnlyDictionary<string, PrefixSet> prefixesByLocation)
    {
        Name = name;
        KnownSection = Sections.TryParse(name, out Section known) && Sections.GetName(known) == name ? known : null;
        ListedIPv4 = listedIPv4;
        ListedIPv6 = listedIPv6;
        Prefixes = PrefixSet.Create(listedIPv4.Concat(listedIPv6));
        PrefixesByLocation = prefixesByLocation;
    }

    /// <summary>The section's key in the document, e.g. <c>logs</c> or <c>remote-configuration</c>.</summary>
    public string Name { get; }

    /// <summary>The known section this is, or null for a section this library does not know yet.</summary>
    public Section? KnownSection { get; }

    /// <summary>The IPv4 prefixes exactly as the document lists them (order and duplicates kept).</summary>
    public IReadOnlyList<IPNetwork> ListedIPv4 { get; }

    /// <summary>The IPv6 prefixes exactly as the document lists them (order and duplicates kept).</summary>
    public IReadOnlyList<IPNetwork> ListedIPv6 { get; }

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

        return FromFields(IpRangesJsonReader.ReadSectionDocument(name, utf8Json), options);
    }

    internal static IpRangesSection FromFields(IpRangesJsonReader.SectionFields fields, IpRangesParseOptions options)
    {
        string name = fields.Name;
        IPNetwork[] v4 = ParseList(fields.IPv4, $"{name}.prefixes_ipv4", AddressFamily.InterNetwork, options);
        IPNetwork[] v6 = ParseList(fields.IPv6, $"{name}.prefixes_ipv6", AddressFamily.InterNetworkV6, options);
        var byLocation = new Dictionary<string, List<IPNetwork>>(StringComparer.Ordinal);
        AddLocations(byLocation, fields.IPv4ByLocation, $"{name}.prefixes_ipv4_by_location", AddressFamily.InterNetwork, options);
        AddLocations(byLocation, fields.IPv6ByLocation, $"{name}.prefixes_ipv6_by_location", AddressFamily.InterNetworkV6, options);
        FrozenDictionary<string, PrefixSet> locations = byLocation.ToFrozenDictionary(
            pair => pair.Key, pair => PrefixSet.Create(pair.Value), StringComparer.Ordinal);
        return new IpRangesSection(name, v4, v6, locations);
    }

    private static void AddLocations(
        Dictionary<string, List<IPNetwork>> into, List<KeyValuePair<string, List<string?>?>>? lists, string location, AddressFamily family, IpRangesParseOptions options)
    {
        foreach ((string key, List<string?>? prefixes) in lists ?? [])
        {
            if (!into.TryGetValue(key, out List<IPNetwork>? list))
            {
                into[key] = list = [];
            }

            list.AddRange(ParseList(prefixes, $"{location}[\"{key}\"]", family, options));
        }
    }

    private static IPNetwork[] ParseList(List<string?>? texts, string location, AddressFamily family, IpRangesParseOptions options)
    {
        if (texts is null)
        {
            return [];
        }

        var prefixes = new IPNetwork[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            string where = $"{location}[{i}]";
            string? text = texts[i] ?? throw new IpRangesFormatException("null instead of a prefix", where);
            if (!PrefixParser.TryParse(text, PrefixParseOptions.None, out IPNetwork prefix, out string? error))
            {
                throw new IpRangesFormatException(error, where);
            }

            if (prefix.BaseAddress.AddressFamily != family)
            {
                throw new IpRangesFormatException(
                    $"\"{text}\" is {(family == AddressFamily.InterNetwork ? "IPv6" : "IPv4")} in a list of {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} prefixes", where);
            }

            if (!options.AllowNonPublicPrefixes && PublicAddressPolicy.Check(prefix) is string refusal)
            {
                throw new IpRangesFormatException(refusal, where);
            }

            prefixes[i] = prefix;
        }

        return prefixes;
    }

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
