using System.Numerics;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The radix sort against a comparison sort. The properties elsewhere use a few dozen prefixes, which
/// only ever reach insertion sort, so these inputs are big and skewed enough to reach every path: in-place
/// splitting (forced deep with small scratch limits), scattering through scratch, shared digits, ties.
/// </summary>
[TestFixture]
public class RadixSorterTests
{
    private const int Count = 200_000;

    private static readonly int[] ScratchLimits = [0, 1, 300, 5000, RadixSorter<uint>.DefaultScratchLimit];

    [Test]
    public void Sort_IPv4_OrdersByStartAndKeepsEveryRange(
        [Values("random", "one /8", "one /16 with repeats", "mostly one address", "rare odd low byte", "all equal", "descending")] string shape,
        [ValueSource(nameof(ScratchLimits))] int scratchLimit)
    {
        var random = new Random(shape.Length);
        uint Next() => (uint)random.NextInt64(0, 1L << 32);
        Func<int, uint> start = shape switch
        {
            "random" => _ => Next(),
            "one /8" => _ => 0x0A000000 | (Next() & 0xFFFFFF),
            "one /16 with repeats" => _ => 0xC0A80000 | (Next() & 0xFF00),
            "mostly one address" => _ => random.Next(10) == 0 ? Next() : 0x08080808,
            "rare odd low byte" => _ => (Next() & 0xFF000000) | (random.Next(1000) == 0 ? 0x080807u : 0x080808u),
            "all equal" => _ => 0xFFFFFFFF,
            _ => i => (uint)(Count - i) << 8,
        };

        CheckSort(Enumerable.Range(0, Count).Select(i => start(i)).Select(s => new AddressRange<uint>(s, s | (uint)random.Next(256))).ToArray(), scratchLimit);
    }

    [Test]
    public void Sort_IPv6_OrdersByStartAndKeepsEveryRange(
        [Values("random", "one /64", "top and bottom of the space")] string shape,
        [ValueSource(nameof(ScratchLimits))] int scratchLimit)
    {
        var random = new Random(shape.Length);
        UInt128 Next() => new((ulong)random.NextInt64(long.MinValue, long.MaxValue), (ulong)random.NextInt64(long.MinValue, long.MaxValue));
        Func<UInt128> start = shape switch
        {
            "random" => Next,
            "one /64" => () => (new UInt128(0x20010DB800000000, 0) | (Next() >> 64)),
            _ => () => random.Next(2) == 0 ? Next() >> 120 : UInt128.MaxValue - (Next() >> 120),
        };

        CheckSort(Enumerable.Range(0, Count / 4).Select(_ => start()).Select(s => new AddressRange<UInt128>(s, s)).ToArray(), scratchLimit);
    }

    [Test]
    public void SortKey_OfRangesAndBlocks_IsTheItemsFirstField()
    {
        var range = new AddressRange<UInt128>(UInt128.MaxValue - 5, UInt128.MaxValue);
        var block = new CidrBlock<UInt128>(UInt128.MaxValue << 8, 120);

        // The sorter reads the key's bytes where the item lies.
        Assert.That(System.Runtime.CompilerServices.Unsafe.As<AddressRange<UInt128>, UInt128>(ref range), Is.EqualTo(range.Key));
        Assert.That(System.Runtime.CompilerServices.Unsafe.As<CidrBlock<UInt128>, UInt128>(ref block), Is.EqualTo(block.Key));
    }

    private static void CheckSort<T>(AddressRange<T>[] input, int scratchLimit)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        AddressRange<T>[] sorted = (AddressRange<T>[])input.Clone();

        RadixSorter<T>.Sort(sorted, scratchLimit);

        int unordered = Enumerable.Range(1, sorted.Length - 1).Count(i => sorted[i - 1].Start > sorted[i].Start);
        Assert.That(unordered, Is.Zero, "ranges out of order by start");
        Comparison<AddressRange<T>> full = (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End);
        AddressRange<T>[] expected = (AddressRange<T>[])input.Clone();
        Array.Sort(expected, full);
        Array.Sort(sorted, full);
        Assert.That(sorted, Is.EqualTo(expected), "the same ranges, none lost or duplicated");
    }
}
