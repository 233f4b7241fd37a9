namespace FirewallRules.Verification;

/// <summary>What kind of address a Datadog host name resolved to.</summary>
internal enum EndpointAddressKind
{
    /// <summary>Public address space: it should lie in the section's published prefixes.</summary>
    Public,

    /// <summary>
    /// Private address space (RFC 1918, RFC 6598 shared space, IPv6 unique local): a PrivateLink, Private Link
    /// or Private Service Connect endpoint in your network, reached without Datadog's public ranges.
    /// </summary>
    Private,

    /// <summary>Neither: loopback, link-local, documentation or other special-purpose space (a hosts-file or DNS override).</summary>
    Reserved,
}
