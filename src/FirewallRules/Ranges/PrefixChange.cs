using System.Net;
using System.Numerics;

namespace FirewallRules.Ranges;

/// <summary>
/// How one address family of one section changed between two documents: the prefixes added to and removed
/// from the list as published, and the addresses added and removed, aggregated.
/// </summary>
/// <remarks>
/// The two views differ when the list is reshuffled: <c>10.0.0.0/23</c> replaced by its two <c>/24</c>
/// halves changes the list but no address (<see cref="IsReshuffle"/>). Immutable and thread-safe.
/// </remarks>
public sealed class PrefixChange
{
    private PrefixChange(IReadOnlyList<IPNetwork> listedAdded, IReadOnlyList<IPNetwork> listedRemoved, PrefixSet added, PrefixSet removed)
    {
        ListedAdded = listedAdded;
        ListedRemoved = listedRemoved;
        Added = added;
        Removed = removed;
    }

    /// <summary>Prefixes listed in the newer document and not in the older, in the newer document's order.</summary>
    public IReadOnlyList<IPNetwork> ListedAdded { get; }

    /// <summary>Prefixes listed in the older document and not in the newer, in the older document's order.</summary>
    public IReadOnlyList<IPNetwork> ListedRemoved { get; }

    /// <summary>The addresses only the newer document covers, aggregated.</summary>
    public PrefixSet Added { get; }

    /// <summary>The addresses only the older document covers, aggregated.</summary>
    public PrefixSet Removed { get; }

    /// <summary>Whether any address was added or removed.</summary>
    public bool HasAddressChanges => !Added.IsEmpty || !Removed.IsEmpty;

    /// <summary>Whether the list as published changed (a prefix added or removed, not merely reordered or repeated).</summary>
    public bool HasListChanges => ListedAdded.Count > 0 || ListedRemoved.Count > 0;

    /// <summary>Whether the list changed but covers exactly the same addresses.</summary>
    public bool IsReshuffle => HasListChanges && !HasAddressChanges;

    internal static PrefixChange Between<T>(ListedPrefixes<T> olderList, ListedPrefixes<T> newerList, PrefixSet older, PrefixSet newer)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T> => new(
        newerList.Except(olderList),
        olderList.Except(newerList),
        newer.Except(older),
        older.Except(newer));
}
