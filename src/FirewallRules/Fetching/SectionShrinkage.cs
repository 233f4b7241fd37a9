using System.Globalization;
using System.Net.Sockets;

namespace FirewallRules.Fetching;

/// <summary>One address family of one section that a new document would shrink too far: to nothing, or by more than the allowed share.</summary>
/// <param name="Section">The section's key, e.g. <c>logs</c>.</param>
/// <param name="Family"><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
/// <param name="AddressesBefore">How many addresses the stored document's section covers in this family.</param>
/// <param name="AddressesAfter">How many the new document's section covers (0 when the section is gone).</param>
/// <remarks>Immutable.</remarks>
public sealed record SectionShrinkage(string Section, AddressFamily Family, UInt128 AddressesBefore, UInt128 AddressesAfter)
{
    /// <summary>Whether the family would be left with no address at all: an allow-list built from it would allow nothing.</summary>
    public bool IsEmptied => AddressesAfter == UInt128.Zero;

    /// <summary>The share of the addresses that would be lost, from 0 to 1.</summary>
    public double LostShare => AddressesBefore == UInt128.Zero ? 0 : (double)(AddressesBefore - AddressesAfter) / (double)AddressesBefore;

    /// <summary>
    /// For example <c>logs IPv4: 4096 to 0 addresses (emptied)</c>; IPv6 counts are said in prefix sizes, e.g.
    /// <c>logs IPv6: a /40's worth to a /48's worth of addresses (99% lost)</c> or <c>logs IPv6: a /56's worth to none (emptied)</c>.
    /// The share lost is rounded down, so 100% means all.
    /// </summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Section} {(Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")}: {AddressCountText.Span(Family, AddressesBefore, AddressesAfter)} " +
        $"({(IsEmptied ? "emptied" : $"{Math.Min(Math.Floor(LostShare * 100), 99):0}% lost")})");
}
