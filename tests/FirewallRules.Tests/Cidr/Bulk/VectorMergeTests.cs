using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// The IPv4 merge in vector registers against a reference written with 64-bit arithmetic (no end + 1 can wrap there),
/// and against the scalar merge that IPv6 and processors without vectors use, on sorted lists shaped to reach every
/// case: neighbours that join or not at random, ranges nested in others, repeats, and ranges reaching the top of the space.
/// </summary>
[TestFixture]
public class VectorMergeTests
{
    [Test]
    public void MergeSorted_IPv4_MatchesTheReferenceAndTheScalarMerge(
        [Values("neighbours", "nested", "repeats", "top of the space first", "top of the space inside", "top of the space last", "one range")] string shape,
        [Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed * 31 + shape.Length);
        AddressRange<uint>[] sorted = Shape(shape, random).OrderBy(r => r.Start).ToArray();
        (uint Start, uint End)[] expected = Reference(sorted);

        AddressRange<uint>[] vector = (AddressRange<uint>[])sorted.Clone(), scalar = (AddressRange<uint>[])sorted.Clone();
        int vectorCount = VectorMerge.MergeSorted(vector);
        int scalarCount = RangeAlgebra<uint>.MergeSorted(scalar);

        Assert.That(vector.Take(vectorCount).Select(r => (r.Start, r.End)), Is.EqualTo(expected));
        Assert.That(scalar.Take(scalarCount).Select(r => (r.Start, r.End)), Is.EqualTo(expected));
    }

    [Test]
    public void MergeSorted_IPv4Dispatch_GivesTheReferenceOnNeighbouringPrefixes()
    {
        var random = new Random(7);
        AddressRange<uint>[] sorted = Shape("neighbours", random).OrderBy(r => r.Start).ToArray();
        (uint Start, uint End)[] expected = Reference(sorted);

        int count = BulkAlgebra<uint>.MergeSorted(sorted);

        Assert.That(sorted.Take(count).Select(r => (r.Start, r.End)), Is.EqualTo(expected));
    }

    [Test]
    public void DecomposeUnion_IPv4_MatchesTheReferenceAndTheScalarUnion(
        [Values("neighbours", "nested", "repeats", "top of the space first", "top of the space inside", "top of the space last", "one range", "few wide")] string leftShape,
        [Values("neighbours", "top of the space inside", "one range", "few wide", "none")] string rightShape)
    {
        var random = new Random(leftShape.Length * 7 + rightShape.Length);
        AddressRange<uint>[] left = Merged(Shape(leftShape, random)), right = rightShape == "none" ? [] : Merged(Shape(rightShape, random));
        CidrBlock<uint>[] expected = RangeAlgebra<uint>.ToBlocks(Merged(left.Concat(right)));

        CidrBlock<uint>[] vector = VectorMerge.DecomposeUnion(left, right, out int vectorCount);
        CidrBlock<uint>[] scalar = RangeAlgebra<uint>.DecomposeUnion(right, left, out int scalarCount);

        Assert.That(vector.Take(vectorCount), Is.EqualTo(expected));
        Assert.That(scalar.Take(scalarCount), Is.EqualTo(expected));
    }

    /// <summary>The reference's merged list of <paramref name="ranges"/>, as ranges.</summary>
    private static AddressRange<uint>[] Merged(IEnumerable<AddressRange<uint>> ranges) =>
        Reference(ranges.OrderBy(r => r.Start).ToArray()).Select(r => new AddressRange<uint>(r.Start, r.End)).ToArray();

    private static IEnumerable<AddressRange<uint>> Shape(string shape, Random random)
    {
        const int Count = 20_000;
        uint Block(uint start, int hostBits) => start | (uint)((1UL << hostBits) - 1);
        switch (shape)
        {
            case "neighbours": // /24s and /32s packed close together: about half of them join the one before
                for (int i = 0; i < Count; i++)
                {
                    uint start = 0x0D000000u + ((uint)random.Next(Count * 2) << 8);
                    yield return random.Next(2) == 0 ? new(start, Block(start, 8)) : new(start | (uint)random.Next(256), start | (uint)random.Next(256) | 0xFFu);
                }

                break;
            case "nested":
                for (int i = 0; i < Count; i++)
                {
                    int hostBits = random.Next(33);
                    uint start = (uint)random.NextInt64(0, 1L << 32) & ~(uint)((1UL << hostBits) - 1);
                    yield return new(start, Block(start, hostBits));
                }

                break;
            case "repeats":
                for (int i = 0; i < Count; i++)
                {
                    uint start = 0xC0A80000u | ((uint)random.Next(4) << 4);
                    yield return new(start, Block(start, random.Next(5)));
                }

                break;
            case "one range":
                yield return new(0x0A000000, 0x0AFFFFFF);
                break;
            case "few wide": // few ranges of about 50 blocks each, one address in from both ends: far more blocks than ranges
                for (uint i = 0; i < 8; i++)
                {
                    yield return new((i << 28) + 1, ((i + 1) << 28) - 2 - (uint)random.Next(2));
                }

                break;
            default:
                for (int i = 0; i < Count; i++)
                {
                    uint start = (uint)random.NextInt64(0, 1L << 32) & 0xFFFFFF00;
                    yield return new(start, start | 0xFF);
                }

                uint from = shape switch { "top of the space first" => 0u, "top of the space inside" => 0x80000000u, _ => 0xFFFFFF00u };
                yield return new(from, uint.MaxValue);
                yield return new(uint.MaxValue, uint.MaxValue);
                break;
        }
    }

    /// <summary>The merged list, computed with 64-bit ends so that the range after the top of the space is never confused with 0.</summary>
    internal static (uint Start, uint End)[] Reference(IReadOnlyList<AddressRange<uint>> sorted)
    {
        var merged = new List<(uint Start, ulong End)>();
        foreach (AddressRange<uint> range in sorted)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End + 1)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add((range.Start, range.End));
            }
        }

        return merged.Select(r => (r.Start, (uint)r.End)).ToArray();
    }
}
