using FirewallRules.Cidr;

namespace FirewallRules.Rules;

/// <summary>
/// The addresses a prefix budget added to a rule, per family; a rule without any holds none (null). So the common
/// path never touches <see cref="UInt128"/>, whose code ReadyToRun does not precompile: a rule's own fields keep a
/// fixed layout, and the code that reads a rule (its set, every emitter) runs precompiled.
/// </summary>
internal sealed class SummaryCost
{
    private SummaryCost(UInt128 ipv4, UInt128 ipv6)
    {
        IPv4 = ipv4;
        IPv6 = ipv6;
    }

    public UInt128 IPv4 { get; }

    public UInt128 IPv6 { get; }

    /// <summary><paramref name="earlier"/> plus what <paramref name="summary"/> added; null when that is nothing.</summary>
    public static SummaryCost? Add(SummaryCost? earlier, PrefixSummary summary) =>
        Of((earlier?.IPv4 ?? UInt128.Zero) + summary.ExtraIPv4Addresses, (earlier?.IPv6 ?? UInt128.Zero) + summary.ExtraIPv6Addresses);

    /// <summary>The part of <paramref name="cost"/> in <paramref name="families"/>; null when that is nothing.</summary>
    public static SummaryCost? Restrict(SummaryCost? cost, AddressFamilies families) => cost is null ? null : Of(
        families.HasFlag(AddressFamilies.IPv4) ? cost.IPv4 : UInt128.Zero,
        families.HasFlag(AddressFamilies.IPv6) ? cost.IPv6 : UInt128.Zero);

    private static SummaryCost? Of(UInt128 ipv4, UInt128 ipv6) => ipv4 == UInt128.Zero && ipv6 == UInt128.Zero ? null : new SummaryCost(ipv4, ipv6);
}
