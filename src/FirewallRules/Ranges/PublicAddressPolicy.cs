using System.Net;

namespace FirewallRules.Ranges;

/// <summary>Which prefixes a vendor's published ranges may plausibly contain.</summary>
internal static class PublicAddressPolicy
{
    public const int MinimumIPv4Length = 8;
    public const int MinimumIPv6Length = 16;

    // Special-purpose blocks (RFC 6890 and successors) that are never a cloud vendor's public endpoints.
    private static readonly PrefixSet NonPublic = PrefixSet.Parse("""
        0.0.0.0/8
        10.0.0.0/8
        100.64.0.0/10
        127.0.0.0/8
        169.254.0.0/16
        172.16.0.0/12
        192.0.0.0/24
        192.0.2.0/24
        192.168.0.0/16
        198.18.0.0/15
        198.51.100.0/24
        203.0.113.0/24
        224.0.0.0/4
        240.0.0.0/4
        ::/128
        ::1/128
        ::ffff:0:0/96
        100::/64
        2001:db8::/32
        fc00::/7
        fe80::/10
        ff00::/8
        """);

    /// <summary>Why <paramref name="prefix"/> cannot be in a vendor's public ranges, or null when it can.</summary>
    public static string? Check(IPNetwork prefix)
    {
        bool v4 = prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        int minimum = v4 ? MinimumIPv4Length : MinimumIPv6Length;
        if (prefix.PrefixLength < minimum)
        {
            return $"{prefix} is wider than /{minimum}, implausible for a vendor's {(v4 ? "IPv4" : "IPv6")} ranges";
        }

        PrefixSet overlap = PrefixSet.Create(prefix).Intersect(NonPublic);
        return overlap.IsEmpty ? null : $"{prefix} is not public address space (it overlaps {overlap.First()})";
    }
}
