using System.Numerics;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The summariser's recurrence written as plainly as possible, to check the engine on sets far too
/// large for exhaustive search: a recursive function over the trie of the collapsed blocks, exact
/// <see cref="BigInteger"/> costs, null for "impossible", every split tried. Covering a run with k
/// prefixes either takes its common prefix whole (k = 1) or splits k between its two halves; a budget
/// is "at most k", and among equal costs the fewest prefixes and then the smallest left share win.
/// </summary>
internal sealed class ReferenceSummarizer
{
    private readonly ModelPrefix[] _blocks;
    private readonly int _budget;
    private readonly int _minimumLength;
    private readonly Dictionary<(int, int), BigInteger?[]> _curves = [];

    public ReferenceSummarizer(IEnumerable<ModelPrefix> collapsed, int budget, int minimumLength)
    {
        _blocks = collapsed.OrderBy(b => b.Address).ToArray();
        _budget = budget;
        _minimumLength = minimumLength;
    }

    /// <summary>Least extra addresses for k = 0..min(budget, n) prefixes; null where impossible.</summary>
    public BigInteger?[] Curve() => _blocks.Length == 0 ? [BigInteger.Zero] : Curve(0, _blocks.Length);

    public List<ModelPrefix> Select(int k)
    {
        var chosen = new List<ModelPrefix>();
        Select(0, _blocks.Length, Math.Min(k, _budget), chosen);
        return chosen;
    }

    private BigInteger?[] Curve(int lo, int hi)
    {
        if (_curves.TryGetValue((lo, hi), out BigInteger?[]? known))
        {
            return known;
        }

        var curve = new BigInteger?[Math.Min(_budget, hi - lo) + 1];
        if (hi - lo == 1)
        {
            curve[1] = BigInteger.Zero;
        }
        else
        {
            (ModelPrefix common, int split) = Node(lo, hi);
            BigInteger covered = _blocks[lo..hi].Aggregate(BigInteger.Zero, (sum, b) => sum + Size(b));
            curve[1] = common.Length >= _minimumLength ? Size(common) - covered : null;
            BigInteger?[] left = Curve(lo, split), right = Curve(split, hi);
            for (int k = 2; k < curve.Length; k++)
            {
                curve[k] = curve[k - 1];
                for (int kl = 1; kl < left.Length && kl < k; kl++)
                {
                    if (k - kl < right.Length && left[kl] + right[k - kl] is BigInteger cost && (curve[k] is null || cost < curve[k]))
                    {
                        curve[k] = cost;
                    }
                }
            }
        }

        _curves[(lo, hi)] = curve;
        return curve;
    }

    private void Select(int lo, int hi, int k, List<ModelPrefix> chosen)
    {
        if (hi - lo <= k)
        {
            chosen.AddRange(_blocks[lo..hi]);
            return;
        }

        BigInteger?[] curve = Curve(lo, hi);
        while (k > 1 && curve[k - 1] == curve[k])
        {
            k--;
        }

        (ModelPrefix common, int split) = Node(lo, hi);
        if (k == 1)
        {
            chosen.Add(common);
            return;
        }

        BigInteger?[] left = Curve(lo, split), right = Curve(split, hi);
        int kl = Enumerable.Range(1, k - 1).First(kl => kl < left.Length && k - kl < right.Length && left[kl] + right[k - kl] == curve[k]);
        Select(lo, split, kl, chosen);
        Select(split, hi, k - kl, chosen);
    }

    /// <summary>The longest prefix holding blocks [lo, hi), and the first block in its upper half.</summary>
    private (ModelPrefix Common, int Split) Node(int lo, int hi)
    {
        int width = _blocks[lo].Width;
        int length = 0;
        while (length < width && Bit(_blocks[lo].Address, width, length) == Bit(_blocks[hi - 1].Address, width, length))
        {
            length++;
        }

        var common = new ModelPrefix(width, _blocks[lo].Address & ~ModelPrefix.HostMask(width, length), length);
        int split = Enumerable.Range(lo, hi - lo).First(i => Bit(_blocks[i].Address, width, length));
        return (common, split);
    }

    private static bool Bit(UInt128 address, int width, int index) => ((address >> (width - 1 - index)) & UInt128.One) != UInt128.Zero;

    private static BigInteger Size(ModelPrefix prefix) => BigInteger.One << (prefix.Width - prefix.Length);
}
