using System.Numerics;
using System.Runtime.CompilerServices;

namespace FirewallRules.Cidr;

/// <summary>
/// Optimal covering with a prefix budget, by dynamic programming over the binary trie of a collapsed
/// block list. A trie node is a run of blocks sharing the longest common prefix P; covering the run with
/// k prefixes either spends one prefix on P (the smallest prefix holding the whole run, so no other single
/// prefix adds fewer addresses) or splits k between the two halves of P. Every cover is one of these
/// choices, so the minimum found is the true minimum.
/// </summary>
/// <remarks>
/// <para>The trie is never built: blocks are read in order, and two neighbours' first differing bit says
/// how high their common node is, so a stack of open runs (at most one per bit) closes each node as soon
/// as the next block lies outside it. A node's cost curve has min(blocks, budget) + 1 entries and is
/// combined from its halves' in time proportional to the product of their lengths, which sums to
/// O(n·k) over the trie for n blocks and budget k; a balanced trie costs about 1.5·n·k. Memory is the
/// open runs' curves and, per node, the choices that read the cover back (about n·log2 k of them).</para>
/// <para>A minimum length keeps covers from growing wider than that (an allow-list summarised to
/// <c>0.0.0.0/1</c> is an outage of another kind): a node shorter than it cannot be taken whole, so some
/// budgets become impossible, shown as <see cref="Impossible"/> in the cost curve.</para>
/// </remarks>
/// <typeparam name="T">The address type: <see cref="uint"/> or <see cref="UInt128"/>.</typeparam>
/// <typeparam name="TCost">The cost type: <see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6.</typeparam>
internal sealed class PrefixSummarizer<T, TCost>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    where TCost : unmanaged, IBinaryInteger<TCost>, IUnsignedNumber<TCost>
{
    private readonly ArraySegment<CidrBlock<T>> _blocks;
    private readonly int _budget;
    private readonly int _minimumLength;
    private readonly SplitTable _choices;

    /// <summary>Where each node's choices start, indexed by the first block of its right half.</summary>
    private readonly int[] _choicesAt;

    private readonly UInt128[] _curve;

    /// <summary>Stands for "impossible" in <see cref="CostCurve"/> (k = 0 with something to cover, or only covers wider than allowed); larger than any real cost.</summary>
    public static UInt128 Impossible => UInt128.MaxValue;

    /// <param name="blocks">The collapsed blocks to cover.</param>
    /// <param name="budget">The most prefixes the cover may use (at least 1).</param>
    /// <param name="minimumLength">The shortest prefix a summary may introduce (the given blocks themselves are always allowed).</param>
    public PrefixSummarizer(CidrBlock<T>[] blocks, int budget, int minimumLength = 0)
        : this(new ArraySegment<CidrBlock<T>>(blocks), budget, minimumLength)
    {
    }

    /// <inheritdoc cref="PrefixSummarizer{T, TCost}(CidrBlock{T}[], int, int)"/>
    public PrefixSummarizer(ArraySegment<CidrBlock<T>> blocks, int budget, int minimumLength = 0)
    {
        _blocks = blocks;
        _budget = Math.Clamp(budget, 1, Math.Max(1, blocks.Count));
        _minimumLength = minimumLength;
        _choicesAt = new int[blocks.Count];
        _choices = new SplitTable(_budget, blocks.Count * (BitOperations.Log2((uint)_budget) + 1));
        _curve = blocks.Count == 0 ? [UInt128.Zero] : new Sweep(this).Run();
    }

    /// <summary>
    /// Least extra addresses for each budget: <c>curve[k]</c> for k = 0..min(budget, n), with
    /// <see cref="Impossible"/> where no cover exists. Never increases with k, and is zero
    /// once k reaches n. Empty input gives <c>[0]</c>.
    /// </summary>
    public UInt128[] CostCurve() => _curve;

    /// <summary>The blocks of an optimal cover using at most <paramref name="k"/> prefixes (k ≥ 1), sorted; among equally good covers, one with the fewest prefixes.</summary>
    public List<CidrBlock<T>> Select(int k)
    {
        var chosen = new List<CidrBlock<T>>();
        if (_blocks.Count > 0)
        {
            Select(0, _blocks.Count, Math.Min(k, _budget), chosen);
        }

        return chosen;
    }

    private void Select(int lo, int hi, int k, List<CidrBlock<T>> chosen)
    {
        if (hi - lo <= k)
        {
            chosen.AddRange(_blocks.AsSpan(lo, hi - lo));
            return;
        }

        int common = CommonLength(lo, hi);
        int split = FirstWithBit(lo, hi, AddressBits<T>.Width - 1 - common);
        int kl = 0;
        while (k > 1 && (kl = _choices.Get(_choicesAt[split], k - 2)) == 0)
        {
            k--; // k - 1 prefixes do as well: prefer fewer
        }

        if (k == 1)
        {
            chosen.Add(new CidrBlock<T>(_blocks[lo].Address & AddressBits<T>.NetworkMask(common), common));
            return;
        }

        Select(lo, split, kl, chosen);
        Select(split, hi, k - kl, chosen);
    }

    /// <summary>Length of the common prefix of the blocks in [lo, hi), hi - lo ≥ 2: where the first and last differ.</summary>
    private int CommonLength(int lo, int hi) => int.CreateTruncating(T.LeadingZeroCount(_blocks[lo].Address ^ _blocks[hi - 1].Address));

    /// <summary>First index in [lo, hi) whose block has <paramref name="bit"/> set (blocks there are sorted and all share the bits above it).</summary>
    private int FirstWithBit(int lo, int hi, int bit)
    {
        T mask = T.One << bit;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if ((_blocks[mid].Address & mask) == T.Zero)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// One pass over the blocks that closes every trie node bottom-up. Open runs sit on a stack, each
    /// with the length of the prefix it shares with the run below it; these grow strictly towards the
    /// top. A block that shares less with the top run than the top run shares with the one below closes
    /// the top two into their common node.
    /// </summary>
    private sealed class Sweep
    {
        private readonly PrefixSummarizer<T, TCost> _owner;
        private readonly TCost[] _curves;
        private readonly Run[] _runs;
        private readonly TCost[] _merged;
        private readonly int[] _choice;
        private int _depth;

        public Sweep(PrefixSummarizer<T, TCost> owner)
        {
            _owner = owner;
            int width = AddressBits<T>.Width;
            // Open runs' curves side by side: one per bit at most, and never more entries than blocks.
            int slack = CostCurve<TCost>.Slack;
            _curves = new TCost[Math.Min((width + 2L) * (owner._budget + 1), owner._blocks.Count + (2L * (width + 2))) + slack];
            _runs = new Run[width + 2];
            _merged = new TCost[owner._budget + 1 + slack];
            _choice = new int[owner._budget + 1 + slack];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public UInt128[] Run()
        {
            ReadOnlySpan<CidrBlock<T>> blocks = _owner._blocks;
            for (int i = 0; i < blocks.Length; i++)
            {
                int shared = i == 0 ? -1 : int.CreateTruncating(T.LeadingZeroCount(blocks[i - 1].Address ^ blocks[i].Address));
                while (_depth >= 2 && _runs[_depth - 1].Shared > shared)
                {
                    CloseTop();
                }

                Open(i, shared);
            }

            while (_depth >= 2)
            {
                CloseTop();
            }

            Span<TCost> root = _curves.AsSpan(0, _runs[0].Length);
            var curve = new UInt128[root.Length];
            for (int k = 0; k < root.Length; k++)
            {
                curve[k] = root[k] == CostCurve<TCost>.Impossible ? Impossible : UInt128.CreateTruncating(root[k]);
            }

            return curve;
        }

        /// <summary>Pushes block <paramref name="index"/> as a run of its own: one prefix covers it exactly.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Open(int index, int shared)
        {
            int offset = _depth == 0 ? 0 : _runs[_depth - 1].Offset + _runs[_depth - 1].Length;
            _curves[offset] = CostCurve<TCost>.Impossible;
            _curves[offset + 1] = TCost.Zero;
            CidrBlock<T> block = _owner._blocks[index];
            TCost covered = TCost.CreateTruncating(AddressBits<T>.SizeMinusOne(block.Length)) + TCost.One;
            _runs[_depth++] = new Run(index, 1, shared, covered, offset, 2);
        }

        /// <summary>Replaces the top two runs by their common node, with its curve and choices.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CloseTop()
        {
            Run right = _runs[--_depth];
            ref Run left = ref _runs[_depth - 1];
            PrefixSummarizer<T, TCost> owner = _owner;
            int common = right.Shared, blocks = left.Blocks + right.Blocks;
            int m = Math.Min(blocks, owner._budget);
            TCost covered = left.Covered + right.Covered;
            // Extra addresses if the common prefix alone covers the run: its size minus what is covered,
            // written so that 2^128 never appears.
            TCost whole = common >= owner._minimumLength
                ? TCost.CreateTruncating(AddressBits<T>.SizeMinusOne(common)) - (covered - TCost.One)
                : CostCurve<TCost>.Impossible;
            Span<TCost> curve = _curves.AsSpan(left.Offset, m + 1);
            if (blocks == 2 || m == 1)
            {
                // A budget of one, or two single blocks (the most common node): one prefix costs the
                // gap, two cost nothing, and no choice is ever read back.
                curve[1] = whole;
                if (m == 2)
                {
                    curve[2] = TCost.Zero;
                }
            }
            else
            {
                Span<TCost> merged = _merged.AsSpan(0, m + 1);
                merged[0] = CostCurve<TCost>.Impossible;
                merged[1] = whole;
                if (m >= 2)
                {
                    CostCurve<TCost>.Combine(_curves.AsSpan(left.Offset), left.Length, _curves.AsSpan(right.Offset), right.Length, _merged, _choice, m);
                    Span<int> choice = _choice.AsSpan(0, m + 1);
                    KeepBest(merged, choice);
                    // Choices are read back only for budgets below the node's block count (at that count every block is kept).
                    int stored = Math.Min(blocks - 1, m) - 1;
                    if (stored > 0)
                    {
                        owner._choicesAt[right.First] = owner._choices.Append(choice.Slice(2, stored));
                    }
                }

                merged.CopyTo(curve);
            }

            left = new Run(left.First, blocks, left.Shared, covered, left.Offset, m + 1);
        }

        /// <summary>Makes the curve "at most k prefixes": k - 1 wins unless k is strictly better, which the choice 0 records.</summary>
        private static void KeepBest(Span<TCost> curve, Span<int> choice)
        {
            for (int k = 2; k < curve.Length; k++)
            {
                if (curve[k] >= curve[k - 1])
                {
                    curve[k] = curve[k - 1];
                    choice[k] = 0;
                }
            }
        }
    }

    /// <summary>An open run: blocks [First, First + Blocks), the prefix length it shares with the run below, and its curve's place.</summary>
    private readonly record struct Run(int First, int Blocks, int Shared, TCost Covered, int Offset, int Length);
}
