using System.Collections;
using System.Net;
using System.Numerics;
using FirewallRules.Cidr;

namespace FirewallRules.Ranges;

/// <summary>
/// One family's prefixes as a document lists them (order and repeats kept), held as numbers: 8 bytes an IPv4
/// prefix and 32 an IPv6 one, where an <see cref="IPNetwork"/> and its <see cref="IPAddress"/> take about 60
/// more. Each <see cref="IPNetwork"/> is made when it is read, so an 8 MiB document stays a few MiB in memory.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class ListedPrefixes<T>(CidrBlock<T>[] blocks, Func<CidrBlock<T>, IPNetwork> toNetwork) : IReadOnlyList<IPNetwork>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>The number of prefixes listed, repeats included.</summary>
    public int Count => blocks.Length;

    /// <summary>The prefixes as numbers, in the document's order.</summary>
    public ReadOnlySpan<CidrBlock<T>> Blocks => blocks;

    /// <summary>The prefix listed at <paramref name="index"/>.</summary>
    public IPNetwork this[int index] => toNetwork(blocks[index]);

    /// <summary>The prefixes of this list that <paramref name="other"/> does not list, each once, in this list's order.</summary>
    /// <remarks>
    /// Looked up in a sorted copy of <paramref name="other"/>'s numbers, and counted before they are copied: no set
    /// of <see cref="IPNetwork"/> is built, and a set of numbers only when this list repeats a prefix.
    /// </remarks>
    public ListedPrefixes<T> Except(ListedPrefixes<T> other)
    {
        CidrBlock<T>[] listed = Sorted(other.Blocks);
        int count = 0;
        foreach (CidrBlock<T> block in blocks)
        {
            count += Array.BinarySearch(listed, block, BlockOrder.Instance) < 0 ? 1 : 0;
        }

        HashSet<CidrBlock<T>>? seen = count > 0 && HasRepeats(blocks) ? [] : null;
        var missing = new CidrBlock<T>[count];
        int written = 0;
        foreach (CidrBlock<T> block in blocks)
        {
            if (Array.BinarySearch(listed, block, BlockOrder.Instance) < 0 && (seen is null || seen.Add(block)))
            {
                missing[written++] = block;
            }
        }

        return new(written == count ? missing : missing[..written], toNetwork);
    }

    /// <inheritdoc/>
    public IEnumerator<IPNetwork> GetEnumerator()
    {
        foreach (CidrBlock<T> block in blocks)
        {
            yield return toNetwork(block);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static CidrBlock<T>[] Sorted(ReadOnlySpan<CidrBlock<T>> blocks)
    {
        CidrBlock<T>[] sorted = blocks.ToArray();
        Array.Sort(sorted, BlockOrder.Instance);
        return sorted;
    }

    private static bool HasRepeats(ReadOnlySpan<CidrBlock<T>> blocks)
    {
        CidrBlock<T>[] sorted = Sorted(blocks);
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Equals(sorted[i - 1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Address, then length: any total order serves a lookup.</summary>
    private sealed class BlockOrder : IComparer<CidrBlock<T>>
    {
        public static readonly BlockOrder Instance = new();

        public int Compare(CidrBlock<T> x, CidrBlock<T> y) =>
            x.Address == y.Address ? x.Length.CompareTo(y.Length) : x.Address.CompareTo(y.Address);
    }
}
