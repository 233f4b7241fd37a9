using System.Net;
using System.Numerics;
using FirewallRules.Cidr;

namespace FirewallRules.Ranges;

/// <summary>Which prefixes a vendor's published ranges may plausibly contain.</summary>
internal static class PublicAddressPolicy
{
    public const int MinimumIPv4Length = 8;
    public const int MinimumIPv6Length = 16;

    // Special-purpose blocks (RFC 6890 and successors, IANA's special-purpose registries) that are never a cloud
    // vendor's public endpoints, with what each is for. The IPv6 blocks that embed or reach IPv4 (NAT64, Teredo, 6to4,
    // IPv4-compatible) are here too: an allow of one admits IPv4 hosts, the metadata service among them, through a gateway
    // (their rows' names in IANA's IPv6 registry, data/iana/ipv6-special-registry.csv; ::/96 is RFC 4291's, not a row).
    private static readonly (string Block, string Use)[] Reserved =
    [
        ("0.0.0.0/8", "\"this network\""),
        ("10.0.0.0/8", "private, RFC 1918"),
        ("100.64.0.0/10", "shared address space for carrier-grade NAT, RFC 6598"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private, RFC 1918"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation, TEST-NET-1"),
        ("192.168.0.0/16", "private, RFC 1918"),
        ("198.18.0.0/15", "benchmarking, RFC 2544"),
        ("198.51.100.0/24", "documentation, TEST-NET-2"),
        ("203.0.113.0/24", "documentation, TEST-NET-3"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved for future use"),
        ("::/128", "the unspecified address"),
        ("::1/128", "loopback"),
        ("::ffff:0:0/96", "IPv4-mapped addresses"),
        ("::/96", "IPv4-compatible addresses, deprecated, RFC 4291"),
        ("64:ff9b::/96", "IPv4-IPv6 Translat., NAT64, RFC 6052"),
        ("64:ff9b:1::/48", "IPv4-IPv6 Translat., local-use NAT64, RFC 8215"),
        ("2001::/32", "TEREDO, RFC 4380"),
        ("2002::/16", "6to4, RFC 3056"),
        ("100::/64", "discard-only, RFC 6666"),
        ("2001:db8::/32", "documentation"),
        ("fc00::/7", "unique local addresses"),
        ("fe80::/10", "link-local"),
        ("ff00::/8", "multicast"),
    ];

    private static readonly PrefixSet NonPublic = PrefixSet.Parse(string.Join('\n', Reserved.Select(r => r.Block)));

    /// <summary>Whether <paramref name="block"/> may be in a vendor's public IPv4 ranges; allocates nothing (<see cref="Check"/> says why not).</summary>
    public static bool IsPlausible(CidrBlock<uint> block) =>
        block.Length >= MinimumIPv4Length && !Overlaps(NonPublic.IPv4Blocks, block);

    /// <summary>Whether <paramref name="block"/> may be in a vendor's public IPv6 ranges; allocates nothing (<see cref="Check"/> says why not).</summary>
    public static bool IsPlausible(CidrBlock<UInt128> block) =>
        block.Length >= MinimumIPv6Length && !Overlaps(NonPublic.IPv6Blocks, block);

    /// <summary>Why <paramref name="prefix"/> cannot be in a vendor's public ranges, or null when it can.</summary>
    public static string? Check(IPNetwork prefix)
    {
        if (Interop.IsIPv6(prefix, out CidrBlock<uint> v4, out CidrBlock<UInt128> v6) ? IsPlausible(v6) : IsPlausible(v4))
        {
            return null;
        }

        bool ipv4 = prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        int minimum = ipv4 ? MinimumIPv4Length : MinimumIPv6Length;
        if (prefix.PrefixLength < minimum)
        {
            return $"{prefix} is wider than /{minimum}, implausible for a vendor's {(ipv4 ? "IPv4" : "IPv6")} ranges";
        }

        PrefixSet given = PrefixSet.Create(prefix);
        (string block, string use) = Reserved.First(r => !given.Intersect(PrefixSet.Parse(r.Block)).IsEmpty);
        return $"{prefix} is not public address space (it overlaps {block}, {use})";
    }

    private static bool Overlaps<T>(ReadOnlySpan<CidrBlock<T>> blocks, CidrBlock<T> block)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        foreach (CidrBlock<T> reserved in blocks)
        {
            if (reserved.Address <= block.Last && block.Address <= reserved.Last)
            {
                return true;
            }
        }

        return false;
    }
}
