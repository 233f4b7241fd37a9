namespace FirewallRules.Ranges;

/// <summary>Limits applied when reading an ip-ranges document. The defaults suit documents from Datadog.</summary>
public sealed class IpRangesParseOptions
{
    /// <summary>The default options.</summary>
    public static IpRangesParseOptions Default { get; } = new();

    /// <summary>Largest document accepted, in bytes.</summary>
    /// <value>8 MiB; real documents are under 30 KiB.</value>
    public long MaxBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Accept prefixes that are not public unicast space, or that are implausibly wide for a vendor's
    /// ranges: private, loopback, link-local, multicast, documentation and reserved ranges, IPv4
    /// shorter than /8 and IPv6 shorter than /16.
    /// </summary>
    /// <value>
    /// <see langword="false"/>: a document listing such a prefix is refused. An allow-list built from a
    /// compromised or broken feed must not open <c>0.0.0.0/1</c> or your own private networks.
    /// </value>
    public bool AllowNonPublicPrefixes { get; init; }
}
