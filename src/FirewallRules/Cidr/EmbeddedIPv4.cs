using System.Net;
using System.Net.Sockets;

namespace FirewallRules.Cidr;

/// <summary>
/// The IPv4 addresses an IPv6 address stands for, where a gateway, a relay or the host itself reaches that IPv4 address for it:
/// IPv4-mapped (<c>::ffff:0:0/96</c>) and IPv4-compatible (<c>::/96</c>, RFC 4291) addresses, NAT64's well-known
/// <c>64:ff9b::/96</c> (RFC 6052) and local-use <c>64:ff9b:1::/48</c> (RFC 8215: its operator picks the prefix length, so each
/// of RFC 6052's layouts that fits inside it, /48, /56, /64 and /96), and 6to4's <c>2002::/16</c> (RFC 3056, bits 16 to 47).
/// </summary>
internal static class EmbeddedIPv4
{
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64LocalUse = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");

    // RFC 6052, section 2.2: where each prefix length puts the IPv4 address's four bytes (bits 64 to 71 are always zero): /96, /64,
    // /56 and /48, the well-known prefix's first.
    private static readonly int[][] Layouts = [[12, 13, 14, 15], [9, 10, 11, 12], [7, 9, 10, 11], [6, 7, 9, 10]];

    /// <summary>
    /// Each IPv4 address <paramref name="address"/> may stand for, the likeliest first (a /96 layout before the others); none for
    /// an address that embeds none. An address in 0.0.0.0/8 is never one: no gateway or relay goes there, and the zeros of a
    /// layout that does not apply (<c>64:ff9b:1::808:808</c> read as a /48) are not an address.
    /// </summary>
    public static IReadOnlyList<IPAddress> Of(IPAddress address) => [.. Candidates(address).Where(v4 => v4.GetAddressBytes()[0] != 0)];

    private static IReadOnlyList<IPAddress> Candidates(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return [];
        }

        byte[] bytes = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            return [address.MapToIPv4()];
        }

        if (Nat64.Contains(address))
        {
            return [At(bytes, Layouts[0])];
        }

        if (Nat64LocalUse.Contains(address))
        {
            return [.. Layouts.Select(layout => At(bytes, layout)).Distinct()];
        }

        if (SixToFour.Contains(address))
        {
            return [At(bytes, [2, 3, 4, 5])];
        }

        // ::, ::1 and the rest of ::/104 are IPv6's own (unspecified, loopback, reserved).
        return Compatible.Contains(address)
            ? [At(bytes, Layouts[0])]
            : [];
    }

    private static IPAddress At(byte[] bytes, int[] layout) => new([.. layout.Select(i => bytes[i])]);
}
