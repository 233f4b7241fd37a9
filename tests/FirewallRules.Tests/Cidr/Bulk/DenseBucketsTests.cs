using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// The IPv4 sort and merge by first octet, with bitmaps for dense octets, against the 64-bit reference merge of the same
/// ranges sorted by LINQ; lists are over 65,536 ranges, the size from which the list reader's halves take this way.
/// </summary>
[TestFixture]
public class DenseBucketsTests
{
    private const int Count = 120_000;

    [Test]
    public void SortAndMerge_IPv4_MatchesTheReference(
        [Values("/32s in a /12", "/24s of two /8s", "random", "/32s across a /8", "/32s with /9s and /16s across octets",
            "overlapping /14s", "/32s and /13s in a /12", "dense at the top of the space", "one octet", "touching across octets",
            "/28s and /30s")] string shape)
    {
        var random = new Random(shape.Length);
        AddressRange<uint>[] input = Shape(shape, random).ToArray();
        (uint Start, uint End)[] expected = VectorMergeTests.Reference(input.OrderBy(r => r.Start).ToArray());

        AddressRange<uint>[] data = (AddressRange<uint>[])input.Clone();
        int count = BulkAlgebra<uint>.SortAndMerge(data);

        Assert.That(data.Take(count).Select(r => (r.Start, r.End)), Is.EqualTo(expected));
    }

    [Test]
    public void SortAndMergeBoth_TwoHalvesOfAShapeInOneOrTwoParts_MergeAsTheWholeInTheReference(
        [Values("/32s in a /12", "/24s of two /8s", "random", "/32s across a /8", "/32s with /9s and /16s across octets",
            "overlapping /14s", "/32s and /13s in a /12", "dense at the top of the space", "one octet", "touching across octets",
            "/28s and /30s", "dense in one half only")] string shape,
        [Values(false, true)] bool twoParts)
    {
        var random = new Random(shape.Length);
        AddressRange<uint>[] input = shape == "dense in one half only"
            ? [.. Shape("/24s of two /8s", random), .. Shape("random", random).Take(Count / 10)]
            : Shape(shape, random).ToArray();
        (uint Start, uint End)[] expected = VectorMergeTests.Reference(input.OrderBy(r => r.Start).ToArray());
        int cut = shape == "dense in one half only" ? Count : random.Next(input.Length / 4, input.Length * 3 / 4);
        AddressRange<uint>[] left = input[..cut], right = input[cut..];

        int[] leftOffsets = DenseBuckets.Split(left), rightOffsets = DenseBuckets.Split(right);
        int middle = twoParts ? DenseBuckets.Middle(leftOffsets, rightOffsets) : 256;
        (int Left, int Right) low = DenseBuckets.SortAndMergeBoth(left, leftOffsets, right, rightOffsets, 0, middle);
        (int Left, int Right) high = DenseBuckets.SortAndMergeBoth(left, leftOffsets, right, rightOffsets, middle, 256);
        int leftCount = DenseBuckets.JoinParts(left, low.Left, leftOffsets[middle], high.Left);
        int rightCount = DenseBuckets.JoinParts(right, low.Right, rightOffsets[middle], high.Right);

        Assert.That(left.Take(leftCount).Zip(left.Skip(1).Take(leftCount - 1)).All(p => p.Second.Start > p.First.End + 1UL), Is.True, "left merged");
        Assert.That(right.Take(rightCount).Zip(right.Skip(1).Take(rightCount - 1)).All(p => p.Second.Start > p.First.End + 1UL), Is.True, "right merged");
        AddressRange<uint>[] both = [.. left.Take(leftCount), .. right.Take(rightCount)];
        Assert.That(VectorMergeTests.Reference(both.OrderBy(r => r.Start).ToArray()), Is.EqualTo(expected));
    }

    [Test]
    public void SortAndMergeBoth_DenseOctetInBothHalves_LeavesTheSecondHalfNoneOfIt()
    {
        AddressRange<uint>[] input = Octet("/24s of two /8s");
        AddressRange<uint>[] left = input[..(input.Length / 2)], right = input[(input.Length / 2)..];
        int[] leftOffsets = DenseBuckets.Split(left), rightOffsets = DenseBuckets.Split(right);

        (int leftCount, int rightCount) = DenseBuckets.SortAndMergeBoth(left, leftOffsets, right, rightOffsets, 0, 256);

        Assert.That(rightCount, Is.Zero);
        Assert.That(left.Take(leftCount).Select(r => (r.Start, r.End)), Is.EqualTo(VectorMergeTests.Reference(input.OrderBy(r => r.Start).ToArray())));
    }

    [Test]
    public void JoinParts_TheLowPartsLastRangeReachesOverTheHighPartsFirst_TakesThemIn()
    {
        AddressRange<uint>[] data = [new(0x0A000000, 0x0C0000FF), new(0, 0), new(0x0B000000, 0x0B0000FF), new(0x0C000100, 0x0C0001FF), new(0x0D000000, 0x0D0000FF)];

        int count = DenseBuckets.JoinParts(data, 1, 2, 3);

        Assert.That(data.Take(count).Select(r => (r.Start, r.End)), Is.EqualTo(new[] { (0x0A000000u, 0x0C0001FFu), (0x0D000000u, 0x0D0000FFu) }));
    }

    [TestCase("/32s in a /12", true)]
    [TestCase("/24s of two /8s", true)]
    [TestCase("/28s and /30s", true)]
    [TestCase("overlapping /14s", true)]
    [TestCase("/32s across a /8", false)]
    public void TryPlan_OneOctetOfAShape_UsesABitmapOnlyWhenItIsDense(string shape, bool dense)
    {
        AddressRange<uint>[] octet = Octet(shape);

        Assert.That(octet, Has.Length.AtLeast(DenseBuckets.MinimumRanges));
        Assert.That(DenseBuckets.TryPlan(octet, out _), Is.EqualTo(dense));
    }

    [Test]
    public void TryMergeByBitmap_LongRangesOverOneAnother_GivesUpBeforeAddingAnything()
    {
        AddressRange<uint>[] octet = Octet("/32s and /13s in a /12");
        var output = new AddressRange<uint>[octet.Length];
        var merger = new VectorMerge.RangeMerger(output);

        Assert.That(DenseBuckets.TryPlan(octet, out DenseBuckets.Plan plan), Is.True, "small and dense enough to try");
        Assert.That(DenseBuckets.TryMergeByBitmap(octet, plan, new ulong[DenseBuckets.MaxBits / 64], ref merger), Is.False);
        Assert.That(merger.Finish(), Is.Zero);
    }

    [Test]
    public void AddRuns_RandomBitmaps_AddsEveryRunOfSetBits([Values(0.05, 0.5, 0.95, 1.0)] double density, [Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        ulong[] words = new ulong[64];
        for (int bit = 0; bit < words.Length * 64; bit++)
        {
            // Runs of random length, so that many cross a word's edge and some fill whole words.
            if (random.NextDouble() < density)
            {
                int run = random.Next(1, 150);
                DenseBuckets.SetBits(words, (uint)bit, (uint)Math.Min(bit + run - 1, (words.Length * 64) - 1));
                bit += run;
            }
        }

        var expected = new List<(uint Start, uint End)>();
        for (int bit = 0; bit < words.Length * 64; bit++)
        {
            if ((words[bit / 64] >> (bit % 64) & 1) == 1)
            {
                int end = bit;
                while (end + 1 < words.Length * 64 && (words[(end + 1) / 64] >> ((end + 1) % 64) & 1) == 1)
                {
                    end++;
                }

                expected.Add((0x0A000000u + (uint)(bit << 4), 0x0A000000u + (uint)(((end + 1) << 4) - 1)));
                bit = end;
            }
        }

        var output = new AddressRange<uint>[words.Length * 64];
        var merger = new VectorMerge.RangeMerger(output);
        DenseBuckets.AddRuns(words, new DenseBuckets.Plan(0x0A000000, 4, words.Length * 64), ref merger);
        int count = merger.Finish();

        Assert.That(output.Take(count).Select(r => (r.Start, r.End)), Is.EqualTo(expected));
    }

    /// <summary>The ranges of the shape's most common first octet.</summary>
    private static AddressRange<uint>[] Octet(string shape) =>
        Shape(shape, new Random(shape.Length)).GroupBy(r => r.Start >> 24).MaxBy(g => g.Count())!.ToArray();

    private static IEnumerable<AddressRange<uint>> Shape(string shape, Random random)
    {
        AddressRange<uint> Block(uint address, int length)
        {
            uint host = (uint)(0xFFFFFFFFUL >> length);
            return new(address & ~host, address | host);
        }

        uint Any() => (uint)random.NextInt64(0, 1L << 32);
        for (int i = 0; i < Count; i++)
        {
            yield return shape switch
            {
                "/32s in a /12" => Block(0xAC100000u | (Any() & 0xFFFFF), 32),
                "/24s of two /8s" => Block((random.Next(2) == 0 ? 0x0D000000u : 0x10000000u) | (Any() & 0xFFFF00), 24),
                "random" => Block(Any(), random.Next(8, 33)),
                "/32s with /9s and /16s across octets" => random.Next(100) switch
                {
                    0 => Block(0x0A000000u | (Any() & 0x01FFFFFF), 9),
                    1 => Block(0x0AFF0000u, 16),
                    _ => Block(0x0A000000u | (Any() & 0x01FFFFFF), 32),
                },
                "/32s across a /8" => Block(0x0A000000u | (Any() & 0x00FFFFFF), 32),
                "overlapping /14s" => Block(0x20000000u | (Any() & 0x00FFFFFF), 14),
                "/32s and /13s in a /12" => Block(0xAC100000u | (Any() & 0xFFFFF), random.Next(100) == 0 ? 13 : 32),
                "dense at the top of the space" => i == 0 ? new AddressRange<uint>(0xFFFFFF00u, uint.MaxValue) : Block(0xFFF00000u | (Any() & 0xFFFFF), 32),
                "one octet" => Block(0xC0000000u | (Any() & 0x00FFFFFF), 30),
                "touching across octets" => (i % 3) switch
                {
                    0 => Block(0x0BFFFFFFu - (Any() & 0xFF), 32),
                    1 => Block(0x0C000000u | (Any() & 0xFF), 32),
                    _ => new AddressRange<uint>(0x0BFFFF00u, 0x0C0000FFu),
                },
                _ => Block(0x64400000u | (Any() & 0x3FFFFF), random.Next(2) == 0 ? 28 : 30),
            };
        }
    }
}
