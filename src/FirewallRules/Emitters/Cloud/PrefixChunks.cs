using System.Net;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Cloud;

/// <summary>
/// The one way the cloud emitters cut prefix lists to a platform limit: per address family (cloud rules and
/// lists hold one family), in address order, into chunks of at most a given size. Nothing is dropped.
/// </summary>
internal static class PrefixChunks
{
    /// <summary>The non-empty families of <paramref name="prefixes"/>, IPv4 first.</summary>
    public static IEnumerable<(AddressFamilies Family, PrefixSet Prefixes)> ByFamily(PrefixSet prefixes)
    {
        if (!prefixes.IPv4.IsEmpty)
        {
            yield return (AddressFamilies.IPv4, prefixes.IPv4);
        }

        if (!prefixes.IPv6.IsEmpty)
        {
            yield return (AddressFamilies.IPv6, prefixes.IPv6);
        }
    }

    /// <summary>The prefixes in chunks of at most <paramref name="maxPerChunk"/>, in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPerChunk"/> is below 1.</exception>
    public static IReadOnlyList<IPNetwork[]> Split(PrefixSet prefixes, int maxPerChunk) => [.. Slices(prefixes, maxPerChunk).Select(chunk => chunk.ToArray())];

    /// <summary>The same chunks as <see cref="Split"/>, each kept as numbers (a set of its own) until it is written.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPerChunk"/> is below 1.</exception>
    public static IReadOnlyList<PrefixSet> Slices(PrefixSet prefixes, int maxPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerChunk, 1);
        return [.. Enumerable.Range(0, (prefixes.Count + maxPerChunk - 1) / maxPerChunk)
            .Select(i => prefixes.Slice(i * maxPerChunk, Math.Min(maxPerChunk, prefixes.Count - (i * maxPerChunk))))];
    }
}
