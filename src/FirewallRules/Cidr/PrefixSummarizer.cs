using System.Numerics;

namespace FirewallRules.Cidr;

/// <summary>
/// Optimal covering with a prefix budget, by dynamic programming over the binary trie of a collapsed
/// block list. A trie node is a run of blocks sharing the longest common prefix P; covering the run with
/// k prefixes either spends one prefix on P (the smallest prefix holding the whole run, so no other single
/// prefix adds fewer addresses) or splits k between the two halves of P. Every cover is one of these
/// choices, so the minimum found is the true minimum.
/// </summary>
/// <remarks>
/// <para>Time O(n·k), memory O(n·min(n, k)) for n blocks and budget k: fine for rule budgets (tens to a few
/// thousand), not meant for summarising millions of blocks to millions.</para>
/// <para>A minimum length keeps covers from growing wider than that (an allow-list summarised to
/// <c>0.0.0.0/1</c> is an outage of another kind): a node shorter than it cannot be taken whole, so some
/// budgets become impossible, shown as <see cref="Impossible"/> in the cost curve.</para>
/// </remarks>
internal sealed class PrefixSummarizer<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    /// <summary>Stands for "impossible" (k = 0 with something to cover, or only covers wider than allowed); larger than any real cost.</summary>
    public static readonly UInt128 Impossible = UInt128.MaxValue;

    private readonly CidrBlock<T>[] _blocks;
    private readonly int _budget;
    private readonly int _minimumLength;
    private readonly Dictionary<long, Node> _nodes = [];

    /// <param name="blocks">The collapsed blocks to cover.</param>
    /// <param name="budget">The most prefixes the cover may use.</param>
    /// <param name="minimumLength">The shortest prefix a summary may introduce (the given blocks themselves are always allowed).</param>
    public PrefixSummarizer(CidrBlock<T>[] blocks, int budget, int minimumLength = 0)
    {
        _blocks = blocks;
        _budget = budget;
        _minimumLength = minimumLength;
    }

    /// <summary>
    /// Least extra addresses for each budget: <c>curve[k]</c> for k = 0..min(budget, n). Never increases
    /// with k, and is zero once k reaches n. Empty input gives <c>[0]</c>.
    /// </summary>
    public UInt128[] CostCurve() => _blocks.Length == 0 ? [UInt128.Zero] : Solve(0, _blocks.Length).Curve;

    /// <summary>The blocks of an optimal cover using at most <paramref name="k"/> prefixes (k ≥ 1), sorted.</summary>
    public List<CidrBlock<T>> Select(int k)
    {
        var chosen = new List<CidrBlock<T>>();
        if (_blocks.Length > 0)
        {
            Select(0, _blocks.Length, Math.Min(k, _budget), chosen);
        }

        return chosen;
    }

    private Node Solve(int lo, int hi)
    {
        long key = ((long)lo << 32) | (uint)hi;
        if (_nodes.TryGetValue(key, out Node? cached))
        {
            return cached;
        }

        Node node;
        if (hi - lo == 1)
        {
            CidrBlock<T> only = _blocks[lo];
            node = new Node(only, UInt128.CreateTruncating(AddressBits<T>.SizeMinusOne(only.Length)) + UInt128.One, -1, [Impossible, UInt128.Zero]);
        }
        else
        {
            T first = _blocks[lo].Address, last = _blocks[hi - 1].Last;
            int common = int.CreateTruncating(T.LeadingZeroCount(first ^ last));
            var prefix = new CidrBlock<T>(first & AddressBits<T>.NetworkMask(common), common);
            int mid = FirstWithBit(lo, hi, AddressBits<T>.Width - 1 - common);
            Node left = Solve(lo, mid), right = Solve(mid, hi);
            UInt128 covered = left.Covered + right.Covered;
            // Extra addresses if P alone covers the run: |P| - covered, written so 2^128 never appears.
            UInt128 whole = UInt128.CreateTruncating(AddressBits<T>.SizeMinusOne(common)) - (covered - UInt128.One);
            int size = Math.Min(_budget, hi - lo) + 1;
            var curve = new UInt128[size];
            curve[0] = Impossible;
            curve[1] = common >= _minimumLength ? whole : Impossible;
            for (int k = 2; k < size; k++)
            {
                UInt128 best = curve[k - 1];
                int maxLeft = Math.Min(k - 1, left.Curve.Length - 1);
                for (int kl = Math.Max(1, k - (right.Curve.Length - 1)); kl <= maxLeft; kl++)
                {
                    UInt128 cost = Add(left.Curve[kl], right.Curve[k - kl]);
                    if (cost < best)
                    {
                        best = cost;
                    }
                }

                curve[k] = best;
            }

            node = new Node(prefix, covered, mid, curve);
        }

        _nodes[key] = node;
        return node;
    }

    private void Select(int lo, int hi, int k, List<CidrBlock<T>> chosen)
    {
        Node node = Solve(lo, hi);
        if (hi - lo <= k)
        {
            chosen.AddRange(_blocks.AsSpan(lo, hi - lo));
            return;
        }

        // Prefer the fewest prefixes among equally good covers.
        while (k > 1 && node.Curve[k - 1] == node.Curve[k])
        {
            k--;
        }

        if (k == 1)
        {
            chosen.Add(node.Prefix);
            return;
        }

        Node left = Solve(lo, node.Split), right = Solve(node.Split, hi);
        int maxLeft = Math.Min(k - 1, left.Curve.Length - 1);
        for (int kl = Math.Max(1, k - (right.Curve.Length - 1)); kl <= maxLeft; kl++)
        {
            if (Add(left.Curve[kl], right.Curve[k - kl]) == node.Curve[k])
            {
                Select(lo, node.Split, kl, chosen);
                Select(node.Split, hi, k - kl, chosen);
                return;
            }
        }

        throw new InvalidOperationException("Summarize found no split matching its own cost; this is a bug.");
    }

    // Impossible absorbs everything; real costs of disjoint parts never reach it.
    private static UInt128 Add(UInt128 a, UInt128 b) => a == Impossible || b == Impossible ? Impossible : a + b;

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

    private sealed record Node(CidrBlock<T> Prefix, UInt128 Covered, int Split, UInt128[] Curve);
}
