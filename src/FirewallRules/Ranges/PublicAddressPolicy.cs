using System.Net;
using System.Numerics;
using FirewallRules.Cidr;

namespace FirewallRules.Ranges;

/// <summary>Which prefixes a vendor's published ranges may plausibly contain.</summary>
internal static class PublicAddressPolicy
{
    public const int MinimumIPv4Length = 8;
    public const int MinimumIPv6Length = 16;

    // The tool's one list of special addresses (SpecialAddresses: IANA's special-purpose registries, private networks included,
    // the special hosts, IPv6 outside the unicast space IANA allocates), with the registries' names. The IPv6 blocks that embed
    // or reach IPv4 (NAT64, Teredo, 6to4, IPv4-compatible) are in it: an allow of one admits IPv4 hosts, the metadata service
    // among them, through a gateway.
    private static readonly IReadOnlyList<(IPNetwork Block, string Name)> Reserved = SpecialAddresses.NotPublic;

    private static readonly PrefixSet NonPublic = PrefixSet.Create(Reserved.Select(r => r.Block));

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

        // Named by the most specific block holding the whole prefix, else by the first block it overlaps.
        PrefixSet given = PrefixSet.Create(prefix);
        (IPNetwork block, string name) = Reserved
            .Where(r => !given.Intersect(PrefixSet.Create(r.Block)).IsEmpty)
            .OrderByDescending(r => PrefixSet.Create(r.Block).Contains(prefix) ? r.Block.PrefixLength : -1)
            .First();
        return $"{prefix} is not public address space (it overlaps {block}, {name})";
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
