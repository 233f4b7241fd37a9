using System.Numerics;
using System.Runtime.CompilerServices;
using FirewallRules.Cidr;

namespace FirewallRules.Ranges;

/// <summary>Prefixes as the document reader finds them, as numbers: one list per family, in the document's order.</summary>
internal sealed class PrefixBlocks
{
    /// <summary>The IPv4 prefixes read so far.</summary>
    public Chunks<uint> IPv4 { get; } = new();

    /// <summary>The IPv6 prefixes read so far.</summary>
    public Chunks<UInt128> IPv6 { get; } = new();

    /// <summary>The IPv4 prefixes as listed.</summary>
    public ListedPrefixes<uint> ListedIPv4() => new(IPv4.ToArray(), Interop.ToNetwork);

    /// <summary>The IPv6 prefixes as listed.</summary>
    public ListedPrefixes<UInt128> ListedIPv6() => new(IPv6.ToArray(), Interop.ToNetwork);

    /// <summary>Every address read, aggregated.</summary>
    public PrefixSet ToPrefixSet() => new(IPv4.Collapse(), IPv6.Collapse());

    /// <summary>
    /// Blocks in the order added, in chunks that double up to 1 MiB and are never copied: reading a large document leaves
    /// no trail of ever larger copies in the large object heap, as a list doubling to 420,000 blocks did (8 MB, never
    /// collected in a short run). The large chunks stay in the large object heap, as the list's arrays did: 64 KiB chunks
    /// in the young generation survived every collection there, which made the collector raise its young budget and
    /// <c>diff</c> of two such documents peak 40 MiB higher. The first chunks are small, for the many short lists.
    /// </summary>
    internal sealed class Chunks<T>
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        private static readonly int MaxChunk = (1 << 20) / Unsafe.SizeOf<CidrBlock<T>>();
        private readonly List<CidrBlock<T>[]> _full = [];
        private CidrBlock<T>[] _current = [];
        private CidrBlock<T>[]? _all;
        private int _used;

        /// <summary>How many blocks were added.</summary>
        public int Count { get; private set; }

        /// <summary>Adds a block at the end.</summary>
        public void Add(CidrBlock<T> block)
        {
            System.Diagnostics.Debug.Assert(_all is null, "no block is added after the list was read out");
            if (_used == _current.Length)
            {
                if (_current.Length > 0)
                {
                    _full.Add(_current);
                }

                _current = new CidrBlock<T>[Math.Clamp(_current.Length * 2, 16, MaxChunk)];
                _used = 0;
            }

            _current[_used++] = block;
            Count++;
        }

        /// <summary>The blocks in the order added (the same array each time: callers do not change it); the chunks are let go.</summary>
        public CidrBlock<T>[] ToArray()
        {
            if (_all is not null)
            {
                return _all;
            }

            _all = new CidrBlock<T>[Count];
            Span<CidrBlock<T>> rest = _all;
            foreach (CidrBlock<T>[] chunk in _full)
            {
                chunk.CopyTo(rest);
                rest = rest[chunk.Length..];
            }

            _current.AsSpan(0, _used).CopyTo(rest);
            (_current, _used) = ([], 0);
            _full.Clear();
            return _all;
        }

        /// <summary>
        /// The blocks aggregated: the listed array itself when it already is the aggregate (sorted, with a gap after each
        /// block, as published lists usually are), which then costs no memory; otherwise collapsed from a copy.
        /// </summary>
        public CidrBlock<T>[] Collapse()
        {
            CidrBlock<T>[] all = ToArray();
            if (IsAggregated(all))
            {
                return all;
            }

            var ranges = new AddressRange<T>[all.Length];
            for (int i = 0; i < all.Length; i++)
            {
                ranges[i] = all[i].Range;
            }

            return RangeAlgebra<T>.Collapse(ranges);
        }

        /// <summary>Whether each block starts after the address that follows the one before it: then no two can merge, and the list is its own aggregate.</summary>
        private static bool IsAggregated(ReadOnlySpan<CidrBlock<T>> blocks)
        {
            for (int i = 1; i < blocks.Length; i++)
            {
                T last = blocks[i - 1].Last;
                if (last == T.AllBitsSet || blocks[i].Address <= last + T.One)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
