using System.Globalization;
using System.Net.Sockets;

namespace FirewallRules.Fetching;

/// <summary>
/// How a guard's message says a family's address count: IPv4 as a number (<c>4096 to 3355447296 addresses</c>), IPv6 in
/// prefix-size terms (<c>a /56's worth to more than a /47's worth of addresses</c>), as 22 to 39 digit counts do not read.
/// </summary>
internal static class AddressCountText
{
    /// <summary>A count before and after, e.g. <c>4096 to 0 addresses</c> or <c>a /32's worth to none</c>.</summary>
    public static string Span(AddressFamily family, UInt128 before, UInt128 after) =>
        family == AddressFamily.InterNetwork ? string.Create(CultureInfo.InvariantCulture, $"{before} to {after} addresses")
        : after == UInt128.Zero ? $"{IPv6(before)} to none"
        : $"{IPv6(before)} to {IPv6(after)} of addresses";

    /// <summary>
    /// An IPv6 count as the prefix that holds as many addresses: <c>a /56's worth</c> when it is exactly a power of two,
    /// <c>more than a /47's worth</c> when it lies between two (fewer than a /46's), <c>none</c> for 0.
    /// </summary>
    public static string IPv6(UInt128 count)
    {
        if (count == UInt128.Zero)
        {
            return "none";
        }

        int prefix = 128 - (127 - (int)UInt128.LeadingZeroCount(count));
        return string.Create(CultureInfo.InvariantCulture, $"{(UInt128.IsPow2(count) ? "a" : "more than a")} /{prefix}'s worth");
    }
}
