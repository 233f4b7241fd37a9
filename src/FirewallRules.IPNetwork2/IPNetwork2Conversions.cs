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

    /// <summary>
    /// The prefixes of <paramref name="prefixes"/> as <see cref="IPNetwork2"/> values, in the same order: for the
    /// library's lists of <see cref="IPNetwork"/> (a section's <c>ListedIPv4</c>, a change's <c>ListedAdded</c>).
    /// </summary>
    /// <param name="prefixes">Prefixes of either family.</param>
    /// <returns>One value per prefix, duplicates kept.</returns>
    public static IReadOnlyList<IPNetwork2> ToIPNetwork2List(this IEnumerable<IPNetwork> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        return [.. prefixes.Select(ToIPNetwork2)];
    }

    /// <summary>
    /// Named groups of <see cref="IPNetwork2"/> values as the named sets the library's options take
    /// (<c>AgentRuleOptions.Networks</c>, <c>LocalListenerOptions.OpenTo</c>), each group collapsed.
    /// </summary>
    /// <typeparam name="TNetworks">The collection each name holds, e.g. <c>IPNetwork2[]</c> or <c>List&lt;IPNetwork2&gt;</c>.</typeparam>
    /// <param name="networksByName">Names and their networks; a name must not repeat.</param>
    /// <returns>A read-only dictionary, compared by name as the options compare them (ordinal).</returns>
    /// <exception cref="ArgumentException">A name repeats.</exception>
    public static IReadOnlyDictionary<string, PrefixSet> ToPrefixSets<TNetworks>(this IEnumerable<KeyValuePair<string, TNetworks>> networksByName)
        where TNetworks : IEnumerable<IPNetwork2>
    {
        ArgumentNullException.ThrowIfNull(networksByName);
        return networksByName.ToDictionary(pair => pair.Key, pair => pair.Value.ToPrefixSet(), StringComparer.Ordinal).AsReadOnly();
    }

    /// <summary>Whether every address of <paramref name="network"/> is in <paramref name="set"/>.</summary>
    /// <param name="set">A set of prefixes.</param>
    /// <param name="network">An IPNetwork2 value of either family.</param>
    /// <returns>The same answer as <see cref="PrefixSet.Contains(IPNetwork)"/> for the network it holds.</returns>
    public static bool Contains(this PrefixSet set, IPNetwork2 network)
    {
        ArgumentNullException.ThrowIfNull(set);
        return set.Contains(network.ToIPNetwork());
    }
}
