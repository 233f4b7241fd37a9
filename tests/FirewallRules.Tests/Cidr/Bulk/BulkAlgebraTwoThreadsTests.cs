using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// The blocks of two halves' merged lists, shared by two threads, are exactly the blocks one thread writes:
/// wherever the cut falls, whatever the lists cover, up to the top of the address space.
/// </summary>
[TestFixture]
public sealed class BulkAlgebraTwoThreadsTests
{
    [Test]
    public void ToBlocksOnTwoThreads_RandomIPv4Lists_GiveTheSameBlocksAsOneThread()
    {
        var random = new Random(3201);
        int cuts = 0;
        for (int round = 0; round < 400; round++)
        {
            uint space = round % 4 == 0 ? uint.MaxValue : (uint)random.Next(64, 1 << 16);
            AddressRange<uint>[] left = Merged(random, space, random.Next(0, 300));
            AddressRange<uint>[] right = Merged(random, space, random.Next(0, 300));

            CidrBlock<uint>[] expected = RangeAlgebra<uint>.ToBlocks(left, right);
            Assert.That(expected, Is.EqualTo(RangeAlgebra<uint>.Collapse([.. left, .. right])), $"round {round}: the union in one pass, against one list sorted and merged");

            Assert.That(BulkAlgebra<uint>.ToBlocksOnTwoThreads(left, right, minimum: 0), Is.EqualTo(expected), $"round {round}");
            cuts += BulkAlgebra<uint>.TryCut(left, right, out _, out _) ? 1 : 0;
        }

        Assert.That(cuts, Is.GreaterThan(200), "most pairs of lists are cut in two (else the two threads were never tested)");
    }

    [Test]
    public void ToBlocksOnTwoThreads_RandomIPv6Lists_GiveTheSameBlocksAsOneThread()
    {
        var random = new Random(3202);
        for (int round = 0; round < 200; round++)
        {
            AddressRange<UInt128>[] left = Widened(Merged(random, (uint)random.Next(64, 1 << 12), random.Next(1, 200)));
            AddressRange<UInt128>[] right = Widened(Merged(random, (uint)random.Next(64, 1 << 12), random.Next(1, 200)));

            Assert.That(
                BulkAlgebra<UInt128>.ToBlocksOnTwoThreads(left, right, minimum: 0),
                Is.EqualTo(RangeAlgebra<UInt128>.ToBlocks(left, right)),
                $"round {round}");
        }
    }

    [Test]
    public void TryCut_CutsWhereNeitherListCovers()
    {
        // Each list covers what the other leaves open up to 10.0.0.255; the first address neither covers is 10.0.1.0.
        AddressRange<uint>[] left = [Range("10.0.0.0", "10.0.0.9"), Range("10.0.0.20", "10.0.0.255"), Range("10.0.2.0", "10.0.2.255")];
        AddressRange<uint>[] right = [Range("10.0.0.5", "10.0.0.30"), Range("10.0.3.0", "10.0.3.255")];

        Assert.That(BulkAlgebra<uint>.TryCut(left, right, out int leftCut, out int rightCut), Is.True);
        Assert.That((leftCut, rightCut), Is.EqualTo((2, 1)));
    }

    [Test]
    public void TryCut_ListsCoveringTheWholeSpace_AreNotCut()
    {
        AddressRange<uint>[] left = [new(0, 99), new(200, uint.MaxValue)];
        AddressRange<uint>[] right = [new(50, 250)];

        Assert.That(BulkAlgebra<uint>.TryCut(left, right, out _, out _), Is.False);
        Assert.That(
            BulkAlgebra<uint>.ToBlocksOnTwoThreads(left, right, minimum: 0),
            Is.EqualTo(new[] { new CidrBlock<uint>(0, 0) }));
    }

    private static AddressRange<uint>[] Merged(Random random, uint space, int count)
    {
        var ranges = new AddressRange<uint>[count];
        for (int i = 0; i < count; i++)
        {
            uint start = (uint)random.NextInt64(0, (long)space + 1);
            uint end = (uint)Math.Min(space, start + (ulong)random.Next(0, random.Next(2) == 0 ? 4 : 600));
            ranges[i] = new AddressRange<uint>(start, end);
        }

        return ranges[..RangeAlgebra<uint>.SortAndMerge(ranges)];
    }

    private static AddressRange<UInt128>[] Widened(AddressRange<uint>[] ranges) =>
        [.. ranges.Select(r => new AddressRange<UInt128>((UInt128)r.Start << 90, ((UInt128)r.End << 90) | ((UInt128.One << 90) - 1)))];

    private static AddressRange<uint> Range(string first, string last) =>
        new(ToUInt32(first), ToUInt32(last));

    private static uint ToUInt32(string address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(System.Net.IPAddress.Parse(address).GetAddressBytes());
}
