using System.Numerics;
using FirewallRules.Cidr;
using FsCheck;
using FsCheck.Fluent;

#pragma warning disable NUnit1027 // FsCheck supplies the parameters.

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// Summarize is optimal: on small sets inside a 32-address window, exhaustive search over every
/// combination of up to N prefixes in the window never finds a cover with fewer extra addresses.
/// (A prefix larger than the window contains it and costs more; one outside it covers nothing.)
/// </summary>
[TestFixture]
public class SummarizeTests
{
    private const int WindowBits = 5;

    [FsCheckProperty(Arbitrary = [typeof(WindowArbitraries)], MaxTest = 500)]
    public void Summarize_OneFamily_IsNeverBeatenByExhaustiveSearch(WindowedSet input, int budgetSeed)
    {
        int budget = 1 + (Math.Abs(budgetSeed % 6));
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));

        PrefixSummary summary = set.Summarize(budget);

        uint wanted = input.Mask;
        uint best = BestExtra(wanted, budget);
        ModelPrefix[] cover = summary.Prefixes.Select(ModelPrefix.FromNetwork).ToArray();
        uint coverMask = input.MaskOf(cover);
        UInt128 reported = input.Width == 32 ? summary.ExtraIPv4Addresses : summary.ExtraIPv6Addresses;

        Assert.That(cover, Has.Length.LessThanOrEqualTo(budget));
        Assert.That(coverMask & wanted, Is.EqualTo(wanted), "the cover holds every original address");
        Assert.That((uint)BitOperations.PopCount(coverMask & ~wanted), Is.EqualTo(best), "extra addresses equal the exhaustive optimum");
        Assert.That(reported, Is.EqualTo((UInt128)best), "the reported extra matches what the cover adds");
        Assert.That(summary.IsExact, Is.EqualTo(best == 0));
    }

    [FsCheckProperty(Arbitrary = [typeof(WindowArbitraries)], MaxTest = 200)]
    public void Summarize_BothFamiliesOneBudget_SplitsTheBudgetOptimally(WindowedPair input, int budgetSeed)
    {
        int budget = 2 + (Math.Abs(budgetSeed % 6));
        PrefixSet set = PrefixSet.Create(input.V4.Prefixes.Concat(input.V6.Prefixes).Select(p => p.ToNetwork()));

        PrefixSummary summary = set.Summarize(budget);

        BigInteger best = Enumerable.Range(1, budget - 1)
            .Select(k4 => (BigInteger)BestExtra(input.V4.Mask, k4) + BestExtra(input.V6.Mask, budget - k4))
            .Min();
        Assert.That(summary.Prefixes.Count, Is.LessThanOrEqualTo(budget));
        Assert.That(summary.Original.IsSubsetOf(summary.Prefixes), Is.True);
        Assert.That((BigInteger)summary.ExtraIPv4Addresses + summary.ExtraIPv6Addresses, Is.EqualTo(best));
    }

    [FsCheckProperty(Arbitrary = [typeof(WindowArbitraries)], MaxTest = 400)]
    public void Summarize_WithAMinimumLength_IsOptimalAmongCoversThatRespectIt(WindowedSet input, int budgetSeed, int floorSeed)
    {
        int budget = 1 + Math.Abs(budgetSeed % 6);
        int floor = input.Width - WindowBits + Math.Abs(floorSeed % (WindowBits + 1)); // from the window's length down to single addresses
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));
        // Allowed pieces: any block in the window at least `floor` long, and the set's own blocks (kept as they are).
        uint[] candidates = WindowedSet.AllPrefixMasks(input.Width - floor)
            .Concat(set.Select(ModelPrefix.FromNetwork).Select(p => input.MaskOf([p])))
            .Distinct().ToArray();
        uint? best = BestExtra(input.Mask, budget, candidates);
        int minimum4 = input.Width == 32 ? floor : 0, minimum6 = input.Width == 128 ? floor : 0;

        if (best is null)
        {
            Assert.That(() => set.Summarize(budget, budget, minimum4, minimum6), Throws.TypeOf<ArgumentOutOfRangeException>());
            return;
        }

        PrefixSummary summary = set.Summarize(budget, budget, minimum4, minimum6);
        ModelPrefix[] cover = summary.Prefixes.Select(ModelPrefix.FromNetwork).ToArray();
        Assert.That(cover, Has.Length.LessThanOrEqualTo(budget));
        Assert.That(input.MaskOf(cover) & input.Mask, Is.EqualTo(input.Mask));
        Assert.That((uint)BitOperations.PopCount(input.MaskOf(cover) & ~input.Mask), Is.EqualTo(best));
        // Adjacent pieces may collapse into a shorter prefix, but every floor-sized block the cover touches holds data.
        uint chunk = input.Width - floor >= 5 ? uint.MaxValue : (1u << (1 << (input.Width - floor))) - 1;
        for (int start = 0; start < 1 << WindowBits; start += 1 << (input.Width - floor))
        {
            uint block = chunk << start;
            Assert.That((input.MaskOf(cover) & block) == 0 || (input.Mask & block) != 0, Is.True, $"the cover adds a /{floor} at offset {start} that holds no listed address");
        }
    }

    /// <summary>
    /// Sets of hundreds of blocks, too many for exhaustive search, against the plain recurrence: the same
    /// cost for every budget, and the same cover, prefix for prefix, so outputs never move.
    /// </summary>
    [FsCheckProperty(Arbitrary = [typeof(LargeSetArbitraries)], MaxTest = 150)]
    public void Summarize_LargeRandomSets_MatchTheReferenceRecurrence(LargeSet input) =>
        SummarizerAgainstReference.AssertSame(PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork())), input.Width, input.Budget, input.MinimumLength);

    [FsCheckProperty(Arbitrary = [typeof(LargeSetArbitraries)], MaxTest = 100)]
    public void Summarize_LargeRandomSets_CoverEveryAddressAndReportWhatTheyAdd(LargeSet input)
    {
        PrefixSet set = PrefixSet.Create(input.Prefixes.Select(p => p.ToNetwork()));

        PrefixSummary summary = set.Summarize(input.Budget);

        Assert.That(summary.Prefixes.Count, Is.LessThanOrEqualTo(input.Budget));
        Assert.That(set.IsSubsetOf(summary.Prefixes), Is.True);
        UInt128 extra = input.Width == 32 ? summary.ExtraIPv4Addresses : summary.ExtraIPv6Addresses;
        if (!summary.Prefixes.Any(p => p.PrefixLength == 0))
        {
            UInt128 added = input.Width == 32
                ? summary.Prefixes.IPv4AddressCount - set.IPv4AddressCount
                : summary.Prefixes.IPv6AddressCount - set.IPv6AddressCount;
            Assert.That(extra, Is.EqualTo(added));
        }
    }

    /// <summary>The eight-lane IPv4 kernel (whichever side is shorter) gives the same curve and choices as the scalar one IPv6 uses.</summary>
    [FsCheckProperty(Arbitrary = [typeof(LargeSetArbitraries)], MaxTest = 300)]
    public void CostCurveCombine_VectorAndScalar_Agree(CurvePair pair)
    {
        int m = Math.Min(pair.Left.Length + pair.Right.Length - 2, pair.Budget);
        if (m < 2)
        {
            return;
        }

        int slack = CostCurve<uint>.Slack;
        var sums = new uint[m + 1 + slack];
        var scalar = new UInt128[m + 1 + slack];
        int[] choices = new int[m + 1 + slack], scalarChoices = new int[m + 1 + slack];
        CostCurve<uint>.Combine(Padded(pair.Left), pair.Left.Length, Padded(pair.Right), pair.Right.Length, sums, choices, m);
        CostCurve<UInt128>.Combine(
            Padded(pair.Left).Select(Widen).ToArray(), pair.Left.Length, Padded(pair.Right).Select(Widen).ToArray(), pair.Right.Length, scalar, scalarChoices, m);

        for (int k = 2; k <= m; k++)
        {
            Assert.That(Widen(sums[k]), Is.EqualTo(scalar[k]), $"sum at {k}");
            if (scalar[k] != CostCurve<UInt128>.Impossible)
            {
                Assert.That(choices[k], Is.EqualTo(scalarChoices[k]), $"choice at {k}");
            }
        }

        // Whatever follows a curve in its array must not change the result: here, random costs.
        uint[] Padded(uint[] curve) => [.. curve, .. Enumerable.Range(0, slack).Select(i => (uint)(i * 7919) % 5)];

        static UInt128 Widen(uint cost) => cost == CostCurve<uint>.Impossible ? CostCurve<UInt128>.Impossible : (UInt128)cost;
    }

    [Test]
    public void Summarize_BudgetAlreadyMet_ReturnsTheSetUnchanged()
    {
        PrefixSet set = PrefixSet.Parse("10.0.0.0/24\n10.0.2.0/24");

        PrefixSummary summary = set.Summarize(2);

        Assert.That(summary.Prefixes, Is.SameAs(set));
        Assert.That(summary.IsExact, Is.True);
    }

    [Test]
    public void SummarizePerFamily_BudgetsAlreadyMet_ReturnsTheSetUnchanged()
    {
        PrefixSet set = PrefixSet.Parse("10.0.0.0/24\n10.0.2.0/24\n2001:db8::/48");

        PrefixSummary summary = set.Summarize(maxIPv4Prefixes: 2, maxIPv6Prefixes: 1, minimumIPv4Length: 24, minimumIPv6Length: 48);

        Assert.That(summary.Prefixes, Is.SameAs(set));
        Assert.That(summary.IsExact, Is.True);
    }

    [Test]
    public void Summarize_OppositeEndsOfIPv4_NeedsTheWholeSpace()
    {
        PrefixSummary summary = PrefixSet.Parse("0.0.0.0\n255.255.255.255").Summarize(1);

        Assert.That(summary.Prefixes.ToString(), Is.EqualTo("0.0.0.0/0\n"));
        Assert.That(summary.ExtraIPv4Addresses, Is.EqualTo((UInt128)uint.MaxValue - 1));
    }

    [Test]
    public void Summarize_OppositeEndsOfIPv6_ReportsExtraWithoutOverflow()
    {
        PrefixSummary summary = PrefixSet.Parse("::\nffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").Summarize(1);

        Assert.That(summary.Prefixes.ToString(), Is.EqualTo("::/0\n"));
        Assert.That(summary.ExtraIPv6Addresses, Is.EqualTo(UInt128.MaxValue - 1));
    }

    [Test]
    public void Summarize_PerFamilyBudgets_RespectsEach()
    {
        PrefixSet set = PrefixSet.Parse(string.Join('\n', PrefixSetTests.AwsPrefixes()));

        PrefixSummary summary = set.Summarize(maxIPv4Prefixes: 60, maxIPv6Prefixes: 60);

        Assert.That(summary.Prefixes.IPv4.Count, Is.LessThanOrEqualTo(60));
        Assert.That(summary.Prefixes.IPv6.Count, Is.LessThanOrEqualTo(60));
        Assert.That(set.IsSubsetOf(summary.Prefixes), Is.True);
        Assert.That(summary.ExtraIPv4Addresses, Is.EqualTo(summary.Prefixes.IPv4AddressCount - set.IPv4AddressCount));
    }

    [Test]
    public void Summarize_BudgetBelowFamilies_IsRejected()
    {
        PrefixSet set = PrefixSet.Parse("10.0.0.0/8\n2001:db8::/32");

        Assert.That(() => set.Summarize(1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => set.Summarize(0, 5), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    /// <summary>Least extra addresses of any cover of <paramref name="wanted"/> by at most <paramref name="budget"/> prefixes in the window.</summary>
    private static uint BestExtra(uint wanted, int budget) => BestExtra(wanted, budget, WindowedSet.AllPrefixMasks())!.Value;

    /// <summary>Least extra addresses of any cover made of at most <paramref name="budget"/> of <paramref name="candidates"/>, or null when none covers.</summary>
    private static uint? BestExtra(uint wanted, int budget, uint[] candidates)
    {
        if (wanted == 0)
        {
            return 0;
        }

        uint best = uint.MaxValue;

        // Every cover holds some block containing the lowest address not yet covered, so branching on
        // those blocks alone (at most six: one per size) still visits every minimal cover.
        void Search(uint cover, int left)
        {
            uint missing = wanted & ~cover;
            if (missing == 0)
            {
                best = Math.Min(best, (uint)BitOperations.PopCount(cover & ~wanted));
                return;
            }

            if (left == 0)
            {
                return;
            }

            uint lowest = missing & (uint)-(int)missing;
            foreach (uint candidate in candidates)
            {
                if ((candidate & lowest) != 0)
                {
                    Search(cover | candidate, left - 1);
                }
            }
        }

        Search(0, budget);
        return best == uint.MaxValue ? null : best;
    }

    public static class LargeSetArbitraries
    {
        /// <summary>A few hundred blocks in clusters, one family, with budgets from 1 to 80 and sometimes a minimum length.</summary>
        public static Arbitrary<LargeSet> Sets() =>
            (from width in Gen.Elements(32, 128)
             from clusters in Gen.ArrayOf(Gen.Choose(0, 40).SelectMany(count =>
                 CidrGenerators.Anchor(width).SelectMany(anchor => Gen.ArrayOf(CidrGenerators.Prefix(width, anchor), count))), 6)
             from budget in Gen.Frequency((1, Gen.Constant(1)), (6, Gen.Choose(2, 80)))
             from floor in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, width)))
             select new LargeSet(width, clusters.SelectMany(c => c).ToArray(), budget, floor)).ToArbitrary();

        /// <summary>Two non-increasing curves as the summariser makes them: impossible at 0, maybe for a few more, then falling with flat stretches.</summary>
        public static Arbitrary<CurvePair> Curves() =>
            (from left in Curve()
             from right in Curve()
             from budget in Gen.Choose(2, 90)
             select new CurvePair(left, right, budget)).ToArbitrary();

        private static Gen<uint[]> Curve() =>
            from length in Gen.Choose(1, 45)
            from impossible in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 3)))
            from start in Gen.Choose(0, int.MaxValue)
            from drops in Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(0, 40)), (1, Gen.Choose(0, 1 << 20))), length)
            select Enumerable.Range(0, length + 1).Select(k =>
                k == 0 || k <= impossible ? CostCurve<uint>.Impossible : (uint)Math.Max(0, start - drops.Take(k).Sum(d => (long)d))).ToArray();
    }

    public sealed record LargeSet(int Width, ModelPrefix[] Prefixes, int Budget, int MinimumLength)
    {
        public override string ToString() => $"/{Width} budget {Budget} minimum /{MinimumLength}: [{string.Join(", ", Prefixes.Select(p => p.ToString()))}]";
    }

    public sealed record CurvePair(uint[] Left, uint[] Right, int Budget)
    {
        public override string ToString() => $"[{string.Join(", ", Left)}] [{string.Join(", ", Right)}] budget {Budget}";
    }

    public static class WindowArbitraries
    {
        public static Gen<WindowedSet> Sets(int width) =>
            from anchor in CidrGenerators.Anchor(width)
            from count in Gen.Choose(1, 12)
            from offsets in Gen.ArrayOf(Gen.Choose(0, (1 << WindowBits) - 1), count)
            // Mostly blocks of one to four addresses: fragmented sets make the budget bite.
            from lengths in Gen.ArrayOf(Gen.Frequency((4, Gen.Choose(0, 2)), (1, Gen.Choose(3, WindowBits))), count)
            let window = anchor & ~ModelPrefix.HostMask(width, width - WindowBits)
            select new WindowedSet(width, window, offsets.Zip(lengths, (o, l) =>
            {
                UInt128 address = window + (UInt128)(uint)(o & ~((1 << l) - 1));
                return new ModelPrefix(width, address, width - l);
            }).ToArray());

        public static Arbitrary<WindowedSet> OneFamily() =>
            Gen.OneOf(Sets(32), Sets(128)).ToArbitrary();

        public static Arbitrary<WindowedPair> Pairs() =>
            Gen.Zip(Sets(32), Sets(128)).Select(t => new WindowedPair(t.Item1, t.Item2)).ToArbitrary();
    }

    /// <summary>Prefixes inside one aligned 32-address window, with the window's addresses as a bit mask.</summary>
    public sealed record WindowedSet(int Width, UInt128 Window, ModelPrefix[] Prefixes)
    {
        public uint Mask => MaskOf(Prefixes);

        public uint MaskOf(IEnumerable<ModelPrefix> prefixes)
        {
            uint mask = 0;
            foreach (ModelPrefix p in prefixes.Where(p => p.Width == Width))
            {
                for (UInt128 a = p.Address; ; a++)
                {
                    Assert.That(a - Window, Is.LessThan((UInt128)(1 << WindowBits)), $"{p} lies outside the window");
                    mask |= 1u << (int)(a - Window);
                    if (a == p.Last)
                    {
                        break;
                    }
                }
            }

            return mask;
        }

        /// <summary>Every aligned block in the window (63 of them), or those of at most 2^<paramref name="maxSizeBits"/> addresses, as bit masks.</summary>
        public static uint[] AllPrefixMasks(int maxSizeBits = WindowBits)
        {
            var masks = new List<uint>();
            for (int size = 1; size <= 1 << maxSizeBits; size <<= 1)
            {
                for (int start = 0; start < 1 << WindowBits; start += size)
                {
                    masks.Add(size == 32 ? uint.MaxValue : ((1u << size) - 1) << start);
                }
            }

            return [.. masks];
        }

        public override string ToString() => "[" + string.Join(", ", Prefixes.Select(p => p.ToString())) + "]";
    }

    public sealed record WindowedPair(WindowedSet V4, WindowedSet V6)
    {
        public override string ToString() => $"{V4} + {V6}";
    }
}
