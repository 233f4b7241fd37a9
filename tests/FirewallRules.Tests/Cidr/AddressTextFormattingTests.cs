using System.Buffers.Binary;
using System.Net;
using System.Text;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

/// <summary>
/// The formatter that writes IPv6 from the address's two halves (zero groups found with bit operations, each group stored
/// with its ':' in one word) against the runtime's text, on edge addresses and uniform random ones, and the list line
/// writer against the block text.
/// </summary>
[TestFixture]
public class AddressTextFormattingTests
{
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("1::")]
    [TestCase("::2:0")]
    [TestCase("1:0:0:2::3")]
    [TestCase("1::2:0:0:3")]
    [TestCase("1:0:0:2:0:0:0:3")]
    [TestCase("0:1:0:1:0:1:0:1")]
    [TestCase("1:2:3:4:5:6:7:8")]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [TestCase("::ffff:0:0")]
    [TestCase("::ffff:0:1")]
    [TestCase("::ffff:1.2.3.4")]
    [TestCase("::ffff:0.1.0.0")]
    [TestCase("::ffff:255.255.255.255")]
    [TestCase("::0.1.0.0")]
    [TestCase("::1.2.3.4")]
    [TestCase("::ffff:0:1.2.3.4")]
    [TestCase("::ffff:0:0.0.0.1")]
    [TestCase("::5efe:0.0.0.0")]
    [TestCase("1:2:3:4:0:5efe:1.2.3.4")]
    [TestCase("ffff:ffff:ffff:ffff:0:5efe:255.255.255.255")]
    [TestCase("::1:ffff:1.2.3.4")]
    [TestCase("1::ffff:1.2.3.4")]
    [TestCase("::fffe:1.2.3.4")]
    public void FormatIPv6_EdgeAddresses_MatchIPAddressToString(string text)
    {
        var ip = IPAddress.Parse(text);
        UInt128 address = BinaryPrimitives.ReadUInt128BigEndian(ip.GetAddressBytes());

        Assert.That(Formatted(address), Is.EqualTo(ip.ToString()));
    }

    [Test]
    public void FormatIPv6_UniformRandomAddressesAndTheirPrefixes_MatchIPAddressToString()
    {
        var random = new Random(20261126);
        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);
            UInt128 address = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            int length = random.Next(129);
            foreach (UInt128 value in new[] { address, address & ~ModelPrefix.HostMask(128, length), address >> random.Next(128) })
            {
                Assert.That(Formatted(value), Is.EqualTo(ModelPrefix.ToAddress(128, value).ToString()), $"{value:x32}");
            }
        }
    }

    [Test]
    public void FormatLine_EveryLengthOfBothFamilies_IsTheBlockTextAndANewlineWithinMaxLineWrite()
    {
        var random = new Random(5952);
        byte[] buffer = new byte[AddressText.MaxLineWrite];
        for (int length = 0; length <= 128; length++)
        {
            var v6 = new CidrBlock<UInt128>(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) & ~ModelPrefix.HostMask(128, length), length);
            int written = AddressText.FormatLine(v6, buffer);
            Assert.That(Encoding.ASCII.GetString(buffer, 0, written), Is.EqualTo(AddressText.Format(v6) + "\n"));

            if (length <= 32)
            {
                var v4 = new CidrBlock<uint>((uint)random.NextInt64() & ~(uint)ModelPrefix.HostMask(32, length), length);
                written = AddressText.FormatLine(v4, buffer);
                Assert.That(Encoding.ASCII.GetString(buffer, 0, written), Is.EqualTo(AddressText.Format(v4) + "\n"));
            }
        }

        var longest = new CidrBlock<UInt128>(BinaryPrimitives.ReadUInt128BigEndian(IPAddress.Parse("ffff:ffff:ffff:ffff:0:5efe:255.255.255.255").GetAddressBytes()), 128);
        int longestWritten = AddressText.FormatLine(longest, buffer);
        Assert.That(Encoding.ASCII.GetString(buffer, 0, longestWritten), Is.EqualTo("ffff:ffff:ffff:ffff:0:5efe:255.255.255.255/128\n"));
    }

    private static string Formatted(UInt128 address)
    {
        Span<byte> buffer = stackalloc byte[48];
        return Encoding.ASCII.GetString(buffer[..AddressText.FormatIPv6(address, buffer)]);
    }
}
