using FirewallRules.Cidr;
using FirewallRules.Ranges;

namespace FirewallRules.Tests.Ranges;

/// <summary>
/// A document's prefixes as the reader gathers them (in chunks, and a list already aggregated is its own
/// aggregate): listed in order across every chunk, and aggregated exactly as the engine collapses them.
/// </summary>
[TestFixture]
public sealed class PrefixBlocksTests
{
    [Test]
    public void Chunks_AnyBlocks_KeepTheirOrderAndCollapseAsTheEngineDoes()
    {
        var random = new Random(3203);
        foreach (int count in new[] { 0, 1, 15, 16, 17, 300, 5000, 140_000 })
        {
            foreach (bool aggregated in new[] { true, false })
            {
                CidrBlock<uint>[] blocks = Blocks(random, count, aggregated);
                var chunks = new PrefixBlocks.Chunks<uint>();
                foreach (CidrBlock<uint> block in blocks)
                {
                    chunks.Add(block);
                }

                CidrBlock<uint>[] expected = RangeAlgebra<uint>.Collapse([.. blocks.Select(b => b.Range)]);

                Assert.That(chunks.Count, Is.EqualTo(count));
                Assert.That(chunks.ToArray(), Is.EqualTo(blocks), $"{count} blocks, listed");
                Assert.That(chunks.Collapse(), Is.EqualTo(expected), $"{count} blocks, aggregated: {aggregated}");
            }
        }
    }

    [Test]
    public void Collapse_AdjacentOrOverlappingBlocks_AreNotTakenAsAggregated()
    {
        foreach (CidrBlock<uint>[] blocks in new[]
        {
            new[] { new CidrBlock<uint>(0x0A000000, 25), new CidrBlock<uint>(0x0A000080, 25) }, // two halves of a /24
            new[] { new CidrBlock<uint>(0x0A000000, 24), new CidrBlock<uint>(0x0A000000, 25) }, // one inside the other
            new[] { new CidrBlock<uint>(0x0A000100, 24), new CidrBlock<uint>(0x0A000000, 24) }, // out of order
            new[] { new CidrBlock<uint>(0xFFFFFF00, 24), new CidrBlock<uint>(0x0A000000, 24) }, // the top of the space first
        })
        {
            var chunks = new PrefixBlocks.Chunks<uint>();
            foreach (CidrBlock<uint> block in blocks)
            {
                chunks.Add(block);
            }

            Assert.That(chunks.Collapse(), Is.EqualTo(RangeAlgebra<uint>.Collapse([.. blocks.Select(b => b.Range)])));
        }
    }

    private static CidrBlock<uint>[] Blocks(Random random, int count, bool aggregated)
    {
        var blocks = new CidrBlock<uint>[count];
        uint next = 0x01000000;
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(24, 33);
            if (aggregated)
            {
                uint size = 1u << (32 - length);
                uint address = (next + size - 1) & ~(size - 1); // the next aligned start after a gap
                blocks[i] = new CidrBlock<uint>(address, length);
                next = address + size + 1 + (uint)random.Next(0, 300);
            }
            else
            {
                blocks[i] = new CidrBlock<uint>((uint)random.Next(0, 1 << 20) << 8 & ~((1u << (32 - length)) - 1), length);
            }
        }

        return blocks;
    }
}
