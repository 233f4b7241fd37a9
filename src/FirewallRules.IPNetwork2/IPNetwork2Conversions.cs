using System.Net;

namespace FirewallRules;

/// <summary>
/// <see cref="PrefixSet"/> to and from <see cref="IPNetwork2"/>, the CIDR type of the IPNetwork2 package, exactly and
/// for both families. An <see cref="IPNetwork2"/> holds no host bits (its constructor masks them:
/// <c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>), so a value converts to the prefix it holds, with no strictness rule
/// to apply; text with host bits is refused only by the text parser (<c>PrefixSet.Parse</c>).
/// </summary>
/// <remarks>Thread-safe: every member is a pure function of its arguments.</remarks>
public static class IPNetwork2Conversions
{
    /// <summary>The prefix <paramref name="network"/> holds, as a <see cref="IPNetwork"/>.</summary>
    /// <param name="network">An IPNetwork2 value of either family.</param>
    /// <returns>The same network: its base address and prefix length.</returns>
    public static IPNetwork ToIPNetwork(this IPNetwork2 network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new IPNetwork(network.Network, network.Cidr);
    }

    /// <summary><paramref name="network"/> as an <see cref="IPNetwork2"/>.</summary>
    /// <param name="network">A prefix of either family.</param>
    /// <returns>The same network.</returns>
    public static IPNetwork2 ToIPNetwork2(this IPNetwork network) => new(network.BaseAddress, (byte)network.PrefixLength);

    /// <summary>The set of the addresses <paramref name="networks"/> cover, collapsed (overlaps and neighbours merged).</summary>
    /// <param name="networks">IPNetwork2 values of either family, in any order.</param>
    /// <returns>The collapsed set.</returns>
    public static PrefixSet ToPrefixSet(this IEnumerable<IPNetwork2> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        return PrefixSet.Create(networks.Select(ToIPNetwork));
    }

    /// <summary>The prefixes of <paramref name="set"/> as <see cref="IPNetwork2"/> values, IPv4 first, each family in address order.</summary>
    /// <param name="set">A set of prefixes.</param>
    /// <returns>One value per prefix of the set.</returns>
    public static IReadOnlyList<IPNetwork2> ToIPNetwork2List(this PrefixSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return [.. set.Select(ToIPNetwork2)];
    }
}
