using System.Net;

namespace FirewallRules.Tests.Invariant.Oracle;

/// <summary>
/// The oracle checked against the plainest model there is: every address of a small space, one by one (the 512 addresses around
/// 20.0.0.255 and the 256 at the top of IPv6), for random blocks drawn at every length. The proofs' expectations stand on it.
/// </summary>
[TestFixture]
public sealed class AddressSetTests
{
    private static readonly (UInt128 First, bool V6, int Width, int Span)[] Spaces =
        [(AddressSet.Number(IPAddress.Parse("20.0.0.0")), false, 32, 512), (UInt128.MaxValue - 255, true, 128, 256)];

    [Test]
    public void SetOperations_RandomBlocks_AgreeWithEveryAddressOneByOne([Range(0, 199)] int seed)
    {
        var random = new Random(seed);
        (UInt128 first, bool v6, int width, int span) = Spaces[seed % 2];
        (AddressSet a, bool[] inA) = Draw(random, first, v6, width, span);
        (AddressSet b, bool[] inB) = Draw(random, first, v6, width, span);
        AddressSet[] results = [a.Union(b), a.Except(b), a.Intersect(b), AddressSet.Of(a.Blocks())];
        Func<int, bool>[] expected = [i => inA[i] || inB[i], i => inA[i] && !inB[i], i => inA[i] && inB[i], i => inA[i]];
        for (int r = 0; r < results.Length; r++)
        {
            int[] wrong = [.. Enumerable.Range(0, span).Where(i => results[r].Contains(AddressSet.Address(first + (UInt128)i, v6)) != expected[r](i))];
            Assert.That(wrong, Is.Empty, $"operation {r} of {a} and {b} (result {results[r]})");
        }

        Assert.That(a.Union(b).Equals(b.Union(a)), Is.True, "union order");
        Assert.That(a.Count(v6), Is.EqualTo((UInt128)inA.Count(x => x)), "count");
    }

    [TestCase("0.0.0.0/0", "0.0.0.0", "255.255.255.255")]
    [TestCase("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [TestCase("20.0.0.1", "20.0.0.1", "20.0.0.1")]
    public void Block_WholeSpaceOrOneAddress_IsItsInterval(string cidr, string first, string last)
    {
        AddressSet.Span block = AddressSet.Block(cidr);
        Assert.That((AddressSet.Address(block.First, block.V6), AddressSet.Address(block.Last, block.V6)), Is.EqualTo((IPAddress.Parse(first), IPAddress.Parse(last))));
        Assert.That(AddressSet.Of(cidr).Blocks(), Is.EqualTo(new[] { cidr.Contains('/', StringComparison.Ordinal) ? cidr : $"{cidr}/32" }));
    }

    [TestCase("20.0.0.1/31")]
    [TestCase("20.0.0.0/33")]
    public void Block_HostBitsOrLengthPastTheFamily_IsRefused(string cidr) =>
        Assert.Throws<FormatException>(() => AddressSet.Block(cidr));

    [Test]
    public void Families_SameNumbers_StayApart()
    {
        AddressSet v4 = AddressSet.Of("1.2.3.0/24"), v6 = AddressSet.Of("::102:300/120");
        Assert.That(v4.Union(v6).Spans, Has.Count.EqualTo(2));
        Assert.That(v4.Intersect(v6).IsEmpty, Is.True);
        Assert.That(v4.Contains(IPAddress.Parse("::102:301")), Is.False);
        Assert.That(AddressSet.Of("223.255.255.255/32", "::e000:0/128").Spans, Has.Count.EqualTo(2), "numbers one apart across families");
    }

    // A few random aligned blocks inside the space, and the space's addresses they cover.
    private static (AddressSet Set, bool[] In) Draw(Random random, UInt128 first, bool v6, int width, int span)
    {
        var blocks = new List<string>();
        bool[] covered = new bool[span];
        for (int n = random.Next(0, 6); n > 0; n--)
        {
            int size = random.Next(0, 9);
            int offset = random.Next(0, span >> size) << size;
            blocks.Add($"{AddressSet.Address(first + (UInt128)offset, v6)}/{width - size}");
            for (int i = offset; i < offset + (1 << size); i++)
            {
                covered[i] = true;
            }
        }

        return (AddressSet.Of(blocks), covered);
    }
}
