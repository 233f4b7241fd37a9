using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The summariser on shapes random clusters seldom make. Ties between budgets, where the fewest prefixes must win: the
/// covers are written out by hand. Combs, sets whose trie opens a run at every bit at once (one address under each of
/// <c>0</c>, <c>10</c>, <c>110</c>, ...), the deepest the engine's stack of open runs and its buffer of their curves go:
/// against the plain recurrence (<see cref="ReferenceSummarizer"/>), which keeps no stack and no buffer.
/// </summary>
[TestFixture]
public class SummarizeEdgeTests
{
    // The halves of a /24, each held by its first and last address: the /24 adds as many addresses as the two /25s.
    [TestCase("10.0.0.0\n10.0.0.127\n10.0.0.128\n10.0.0.255", 2, "10.0.0.0/24\n")]
    [TestCase("2001:db8::\n2001:db8::7f\n2001:db8::80\n2001:db8::ff", 2, "2001:db8::/120\n")]
    // The same tie one node down, beside a block apart: three prefixes do no better than two.
    [TestCase("10.0.0.0\n10.0.0.63\n10.0.0.64\n10.0.0.127\n10.0.0.200", 3, "10.0.0.0/25\n10.0.0.200/32\n")]
    // One more prefix breaks the tie: a /26 and the two ends of the other /26.
    [TestCase("10.0.0.0\n10.0.0.63\n10.0.0.64\n10.0.0.127\n10.0.0.200", 4, "10.0.0.0/26\n10.0.0.64/32\n10.0.0.127/32\n10.0.0.200/32\n")]
    public void Summarize_MorePrefixesAddingNoFewerAddresses_UsesTheFewer(string prefixes, int budget, string expected)
    {
        PrefixSet set = PrefixSet.Parse(prefixes);

        // One budget for both families tries each split of it; a budget per family asks the summariser for that many at most.
        Assert.That(set.Summarize(budget).Prefixes.ToString(), Is.EqualTo(expected), "one budget");
        Assert.That(set.Summarize(budget, budget, 0, 0).Prefixes.ToString(), Is.EqualTo(expected), "a budget per family");
    }

    // A summary is collapsed, so two halves come out as their prefix either way: the summariser's own cover is asked here.
    [TestCase("10.0.0.0\n10.0.0.127\n10.0.0.128\n10.0.0.255", 2, "10.0.0.0/24")]
    [TestCase("10.0.0.0\n10.0.0.63\n10.0.0.64\n10.0.0.127\n10.0.0.200", 3, "10.0.0.0/25 10.0.0.200/32")]
    public void Select_MorePrefixesAddingNoFewerAddresses_IsTheFewer(string prefixes, int budget, string expected)
    {
        var summarizer = new PrefixSummarizer<uint, uint>([.. PrefixSet.Parse(prefixes).IPv4Blocks], budget);

        Assert.That(string.Join(' ', summarizer.Select(budget).Select(b => Interop.ToNetwork(b).ToString())), Is.EqualTo(expected));
    }

    [TestCase(32, "0.0.0.0/0\n")]
    [TestCase(128, "::/0\n")]
    public void Summarize_CombWithABudgetOfOne_IsTheWholeSpace(int width, string expected)
    {
        PrefixSummary summary = PrefixSet.Create(Comb(width).Select(p => p.ToNetwork())).Summarize(1);

        Assert.That(summary.Prefixes.ToString(), Is.EqualTo(expected));
    }

    [TestCase(32, 1, 0)]
    [TestCase(32, 2, 0)]
    [TestCase(32, 3, 4)]
    [TestCase(32, 40, 0)]
    [TestCase(128, 1, 0)]
    [TestCase(128, 2, 0)]
    [TestCase(128, 5, 16)]
    [TestCase(128, 200, 0)]
    public void Summarize_CombOpeningARunAtEveryBit_MatchesTheReferenceRecurrence(int width, int budget, int minimumLength)
    {
        PrefixSet set = PrefixSet.Create(Comb(width).Select(p => p.ToNetwork()));
        Assert.That(set.Count, Is.EqualTo(width), "a block under each bit: the last two addresses join");

        SummarizerAgainstReference.AssertSame(set, width, budget, minimumLength);
    }

    /// <summary>The address whose first d bits are 1 and the rest 0, for each d, and the last address: each shares one bit more with the next.</summary>
    private static IEnumerable<ModelPrefix> Comb(int width) =>
        Enumerable.Range(0, width).Select(d => new ModelPrefix(width, ModelPrefix.Max(width) - ModelPrefix.HostMask(width, d), width))
            .Append(new ModelPrefix(width, ModelPrefix.Max(width), width));
}
