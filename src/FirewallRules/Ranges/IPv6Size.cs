using System.Globalization;

namespace FirewallRules.Ranges;

/// <summary>
/// How an IPv6 size is told to a reader: in /64 networks (the subnet size of IPv6, and Datadog's ranges end at /64 or
/// shorter), as "4,294,967,296 addresses" says nothing at 2^96. <c>fwrules diff</c>, <c>fwrules fetch</c> and the
/// mirror's pages all count IPv6 this way.
/// </summary>
internal static class IPv6Size
{
    private static readonly UInt128 Slash64 = UInt128.One << 64;

    /// <summary>The count of /64 networks that <paramref name="addresses"/> make up; null when they hold part of one.</summary>
    public static UInt128? Slash64s(UInt128 addresses) => addresses % Slash64 == 0 ? addresses / Slash64 : null;

    /// <summary>A count of IPv6 addresses that is a power of two as <c>2^n</c>, any other as its digits.</summary>
    public static string Power(UInt128 addresses) =>
        addresses != 0 && UInt128.IsPow2(addresses)
            ? string.Create(CultureInfo.InvariantCulture, $"2^{UInt128.Log2(addresses)}")
            : addresses.ToString(CultureInfo.InvariantCulture);

    /// <summary>A size for a page: <c>1,024 /64 networks</c>, or <c>2^60 addresses</c> when it holds part of a /64.</summary>
    public static string Describe(UInt128 addresses) => Slash64s(addresses) is { } networks
        ? string.Format(CultureInfo.InvariantCulture, "{0:N0} /64 {1}", networks, networks == 1 ? "network" : "networks")
        : $"{Power(addresses)} addresses";
}
