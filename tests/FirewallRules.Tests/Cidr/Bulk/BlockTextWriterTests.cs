using System.Net;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// A long list formatted on two threads writes exactly the bytes one thread writes, in order, and a failed
/// write on either thread is reported, never a hang.
/// </summary>
[TestFixture]
public class BlockTextWriterTests
{
    [TestCase(0, 0)]
    [TestCase(1, 0)]
    [TestCase(16_384, 0)]
    [TestCase(16_385, 0)]
    [TestCase(40_000, 10_000)]
    [TestCase(0, 33_000)]
    public void Write_OnTwoThreads_WritesWhatOneThreadWrites(int ipv4, int ipv6)
    {
        PrefixSet set = RandomSet(ipv4, ipv6, seed: ipv4 + ipv6);

        byte[] one = Written(set, int.MaxValue);
        byte[] two = Written(set, 0);

        Assert.That(two, Is.EqualTo(one));
        Assert.That(System.Text.Encoding.ASCII.GetString(two), Is.EqualTo(set.ToString()));
        Assert.That(set.Count, Is.GreaterThanOrEqualTo((ipv4 + ipv6) / 2), "few random prefixes merge");
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Write_AWriteFails_ReportsItOnTheCallersThread(int failingWrite)
    {
        PrefixSet set = RandomSet(50_000, 0, seed: 7);
        using var stream = new FailingStream(failingWrite);

        var error = Assert.Throws<IOException>(() => BlockTextWriter.Write([.. set.IPv4Blocks], [], stream, 0));

        Assert.That(error!.Message, Is.EqualTo($"write {failingWrite} failed"));
        Assert.That(stream.Writes, Is.EqualTo(failingWrite), "nothing is written after the failure");
    }

    private static byte[] Written(PrefixSet set, int minimumParallelBlocks)
    {
        using var stream = new MemoryStream();
        BlockTextWriter.Write([.. set.IPv4Blocks], set.IPv6Blocks.ToArray(), stream, minimumParallelBlocks);
        return stream.ToArray();
    }

    private static PrefixSet RandomSet(int ipv4, int ipv6, int seed)
    {
        var random = new Random(seed);
        var prefixes = new List<IPNetwork>();
        for (int i = 0; i < ipv4; i++)
        {
            prefixes.Add(new IPNetwork(new IPAddress((uint)random.Next()), 32));
        }

        for (int i = 0; i < ipv6; i++)
        {
            byte[] bytes = new byte[16];
            random.NextBytes(bytes);
            int length = random.Next(16, 129);
            for (int bit = length; bit < 128; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8)); // host bits clear
            }

            prefixes.Add(new IPNetwork(new IPAddress(bytes), length));
        }

        return PrefixSet.Create(prefixes);
    }

    /// <summary>A stream whose <c>failing</c>-th write throws.</summary>
    private sealed class FailingStream(int failing) : MemoryStream
    {
        private int _writes;

        public int Writes => _writes;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Interlocked.Increment(ref _writes) == failing)
            {
                throw new IOException($"write {failing} failed");
            }

            base.Write(buffer, offset, count);
        }
    }
}
