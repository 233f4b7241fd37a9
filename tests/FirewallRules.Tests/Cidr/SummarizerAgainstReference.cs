using System.Numerics;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

/// <summary>The summariser of one family of a set against the plain recurrence: the same cost for every budget, and the same cover, prefix for prefix.</summary>
internal static class SummarizerAgainstReference
{
    public static void AssertSame(PrefixSet set, int width, int budget, int minimumLength)
    {
        ModelPrefix[] blocks = set.Select(ModelPrefix.FromNetwork).ToArray();
        var reference = new ReferenceSummarizer(blocks, budget, minimumLength);

        (UInt128[] curve, List<ModelPrefix> cover) = width == 32
            ? Engine(new PrefixSummarizer<uint, uint>([.. set.IPv4Blocks], budget, minimumLength), budget, b => ModelPrefix.FromNetwork(Interop.ToNetwork(b)))
            : Engine(new PrefixSummarizer<UInt128, UInt128>([.. set.IPv6Blocks], budget, minimumLength), budget, b => ModelPrefix.FromNetwork(Interop.ToNetwork(b)));

        BigInteger?[] expected = reference.Curve();
        Assert.That(curve.Select(c => c == PrefixSummarizer<uint, uint>.Impossible ? (BigInteger?)null : c), Is.EqualTo(expected), "cost for every budget");
        if (expected[^1] is not null)
        {
            Assert.That(cover, Is.EqualTo(reference.Select(budget)), "the same cover");
        }
    }

    private static (UInt128[], List<ModelPrefix>) Engine<T, TCost>(PrefixSummarizer<T, TCost> engine, int budget, Func<CidrBlock<T>, ModelPrefix> model)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
        where TCost : unmanaged, IBinaryInteger<TCost>, IUnsignedNumber<TCost>
    {
        UInt128[] costs = engine.CostCurve();
        return (costs, costs[^1] == PrefixSummarizer<uint, uint>.Impossible ? [] : engine.Select(budget).Select(model).ToList());
    }
}
