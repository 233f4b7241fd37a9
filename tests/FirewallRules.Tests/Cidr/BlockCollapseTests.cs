using System.Numerics;
using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// Blocks collapsed where they lie (IPv6 lines are read as blocks, sorted and collapsed in their own array) against the
/// reference model and the range engine: random lists in any order with duplicates, nesting, siblings, /0 and full width,
/// the top of the space, long runs sorted on two threads, and the array two readers of a file's halves share.
/// </summary>
[TestFixture]
public class BlockCollapseTests
{
    // The count is summed per length: two halves of IPv6, each of which fits, add up to 2^128, which does not.
    [Test]
    public void CountAddresses_DisjointBlocksFillingIPv6_OverflowsRatherThanWrapsToZero()
    {
        CidrBlock<UInt128>[] halves = [new(UInt128.Zero, 1), new(UInt128.One << 127, 1)];

        Assert.That(() => RangeAlgebra<UInt128>.CountAddresses(halves), Throws.TypeOf<OverflowException>());
        Assert.That(RangeAlgebra<UInt128>.CountAddresses(halves.AsSpan(0, 1)), Is.EqualTo(UInt128.One << 127));
    }

    [FsCheckProperty(Arbitrary = [typeof(CidrGenerators)], MaxTest = 400)]
    public void SortAndCollapse_AnyBlocksInAnyOrder_IsTheModelsMinimalCover(PrefixList input)
    {
        foreach (int width in new[] { 32, 128 })
        {
            ModelPrefix[] prefixes = [.. input.Prefixes.Where(p => p.Width == width)];
            ModelPrefix[] output = width == 32 ? Collapse<uint>(prefixes, 32) : Collapse<UInt128>(prefixes, 128);

            Assert.That(ReferenceModel.StructureProblem(output), Is.Null);
            Assert.That(output, Has.Length.LessThanOrEqualTo(prefixes.Length), "a union of k blocks has at most k");
            foreach (UInt128 point in ReferenceModel.BoundaryPoints(width, prefixes.Concat(output)))
            {
                Assert.That(ReferenceModel.Contains(output, point), Is.EqualTo(ReferenceModel.Contains(prefixes, point)),
                    $"output {string.Join(", ", output.Select(p => p.ToString()))} at {ModelPrefix.ToAddress(width, point)}");
            }
        }
    }

    [TestCase("::/0", "::/0")]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 ::/0 ::/1", "::/0")]
    [TestCase("8000::/1 ::/1", "::/0")]
    [TestCase("::/2 4000::/2 8000::/1", "::/0")]
    [TestCase("ffff::/16 fffe::/16 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "fffe::/15")]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127")]
    [TestCase("2001:db8::/48 2001:db8::/32 2001:db8::/48 2001:db8:1::/48", "2001:db8::/32")]
    [TestCase("2001:db8::1/128 2001:db8::2/128 2001:db8::3/128 2001:db8::/128", "2001:db8::/126")]
    [TestCase("2001:db8::1/128 2001:db8::2/128", "2001:db8::1/128 2001:db8::2/128")]
    [TestCase("::/128 ::1/128 ::2/127 ::4/126 ::8/125", "::/124")]
    public void SortAndCollapse_Edges_GiveTheMinimalCover(string blocks, string expected)
    {
        CidrBlock<UInt128>[] input = [.. blocks.Split(' ').Select(Block)];

        int count = BlockCollapse<UInt128>.SortAndCollapse(input);

        Assert.That(string.Join(' ', input.Take(count).Select(b => b.ToString())), Is.EqualTo(expected));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SortAndCollapse_LongRunWithinALongerArray_EqualsTheRangeEngine(bool twoThreads)
    {
        CidrBlock<UInt128>[] blocks = RandomBlocks(new Random(7), 150_000);
        CidrBlock<UInt128>[] expected = RangeAlgebra<UInt128>.Collapse(blocks.Select(b => b.Range).ToArray());
        var array = new CidrBlock<UInt128>[blocks.Length + 1000];
        blocks.CopyTo(array, 300);
        var run = new ArraySegment<CidrBlock<UInt128>>(array, 300, blocks.Length);

        int count = BulkAlgebra<UInt128>.SortAndCollapse(run, twoThreads);

        Assert.That(count, Is.LessThan(blocks.Length), "the list has nested and adjacent blocks");
        Assert.That(run[..count].ToArray(), Is.EqualTo(expected));
        Assert.That(array.Take(300).Concat(array.Skip(300 + blocks.Length)), Is.All.EqualTo(default(CidrBlock<UInt128>)), "nothing outside the run is written");
    }

    [TestCase(0)]
    [TestCase(300)]
    [TestCase(RadixSorter<UInt128>.DefaultScratchLimit)]
    public void RadixSort_Blocks_OrdersByAddressAndKeepsEveryBlock(int scratchLimit)
    {
        CidrBlock<UInt128>[] blocks = RandomBlocks(new Random(scratchLimit), 100_000);
        CidrBlock<UInt128>[] sorted = (CidrBlock<UInt128>[])blocks.Clone();

        RadixSorter<UInt128>.Sort<CidrBlock<UInt128>>(sorted, scratchLimit);

        Assert.That(Enumerable.Range(1, sorted.Length - 1).Count(i => sorted[i - 1].Address > sorted[i].Address), Is.Zero, "blocks out of order");
        Assert.That(sorted.OrderBy(b => b.Address).ThenBy(b => b.Length), Is.EqualTo(blocks.OrderBy(b => b.Address).ThenBy(b => b.Length)));
    }

    [TestCase(100, 100, 60, 70)] // both within their parts: one run of the shared array
    [TestCase(3, 2, 9, 4)] // the first part fills up
    [TestCase(3, 2, 2, 7)] // the second part fills up
    [TestCase(0, 0, 5, 5)] // no parts at all
    [TestCase(10, 10, 0, 7)]
    [TestCase(10, 10, 7, 0)]
    public void Join_TwoReadersOfOneSharedArray_KeepsEveryBlockInOneRun(int below, int above, int firstCount, int secondCount)
    {
        var shared = new SharedBlocks<UInt128>(below, above);
        BlockBuffer<UInt128> first = new(4), second = new(4);
        first.Share(shared, downward: true);
        second.Share(shared, downward: false);
        CidrBlock<UInt128>[] firstBlocks = RandomBlocks(new Random(1), firstCount), secondBlocks = RandomBlocks(new Random(2), secondCount);
        Array.ForEach(firstBlocks, first.Add);
        Array.ForEach(secondBlocks, second.Add);

        ArraySegment<CidrBlock<UInt128>> run = BulkAlgebra<UInt128>.Join(first, second);

        Assert.That(run.OrderBy(b => b.Address).ThenBy(b => b.Length), Is.EqualTo(firstBlocks.Concat(secondBlocks).OrderBy(b => b.Address).ThenBy(b => b.Length)));
        bool inParts = firstCount <= below && secondCount <= above && firstCount + secondCount > 0;
        Assert.That(run.Array!.Length == below + above, Is.EqualTo(inParts), "the shared array is used exactly when both fit their parts");
        Assert.That((first.Count, second.Count), Is.EqualTo((0, 0)));
    }

    private static ModelPrefix[] Collapse<T>(ModelPrefix[] prefixes, int width)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        CidrBlock<T>[] blocks = [.. prefixes.Select(p => new CidrBlock<T>(T.CreateTruncating(p.Address), p.Length))];
        int count = BlockCollapse<T>.SortAndCollapse(blocks);
        return [.. blocks.Take(count).Select(b => new ModelPrefix(width, UInt128.CreateTruncating(b.Address), b.Length))];
    }

    /// <summary>Random /120 to /128 blocks, a quarter of them near others (nested, duplicated, adjacent), and a few short ones.</summary>
    private static CidrBlock<UInt128>[] RandomBlocks(Random random, int count)
    {
        var blocks = new CidrBlock<UInt128>[count];
        for (int i = 0; i < count; i++)
        {
            UInt128 address = i > 0 && random.Next(4) == 0
                ? blocks[random.Next(i)].Address ^ (UInt128)(uint)random.Next(512)
                : new UInt128((ulong)random.NextInt64(long.MinValue, long.MaxValue), (ulong)random.NextInt64(long.MinValue, long.MaxValue));
            int length = random.Next(1000) == 0 ? random.Next(1, 64) : random.Next(120, 129);
            blocks[i] = new CidrBlock<UInt128>(address & ~AddressBits<UInt128>.HostMask(length), length);
        }

        return blocks;
    }

    private static CidrBlock<UInt128> Block(string text)
    {
        var network = System.Net.IPNetwork.Parse(text);
        Interop.IsIPv6(network, out _, out CidrBlock<UInt128> block);
        return block;
    }
}
