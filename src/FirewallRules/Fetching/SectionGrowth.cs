using System.Globalization;
using System.Net.Sockets;

namespace FirewallRules.Fetching;

/// <summary>One address family of one section that a new document would grow too far: by many times its addresses, and by many addresses.</summary>
/// <param name="Section">The section's key, e.g. <c>logs</c>.</param>
/// <param name="Family"><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
/// <param name="AddressesBefore">How many addresses the stored document's section covers in this family (0 when it had none, or no such section).</param>
/// <param name="AddressesAfter">How many the new document's section covers.</param>
/// <remarks>Immutable.</remarks>
public sealed record SectionGrowth(string Section, AddressFamily Family, UInt128 AddressesBefore, UInt128 AddressesAfter)
{
    /// <summary>How many times as many addresses the family would cover; <see cref="double.PositiveInfinity"/> when it had none.</summary>
    public double Factor => AddressesBefore == UInt128.Zero ? double.PositiveInfinity : (double)AddressesAfter / (double)AddressesBefore;

    /// <summary>
    /// For example <c>logs IPv4: 6400 to 3607101440 addresses (563609 times as many)</c>; IPv6 counts are said in prefix
    /// sizes, e.g. <c>logs IPv6: a /56's worth to more than a /47's worth of addresses (513 times as many)</c> (a count between
    /// two powers of two is "more than" the larger prefix it holds; none is <c>none</c>).
    /// </summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Section} {(Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")}: {AddressCountText.Span(Family, AddressesBefore, AddressesAfter)} " +
        $"({(AddressesBefore == UInt128.Zero ? "none before" : $"{Math.Floor(Factor):0} times as many")})");
}
