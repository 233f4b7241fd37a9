using System.Globalization;
using System.Net;
using System.Text;
using FirewallRules.Cidr;
using FsCheck;
using FsCheck.Fluent;

#pragma warning disable NUnit1027 // FsCheck supplies the parameters.

namespace FirewallRules.Tests.Cidr;

/// <summary>The canonical IPv6 text must be exactly the runtime's, or strict parsing would reject what IPNetwork prints.</summary>
[TestFixture]
public class AddressTextTests
{
    [FsCheckProperty(Arbitrary = [typeof(AddressArbitraries)], MaxTest = 3000)]
    public void FormatIPv6_AnyAddress_MatchesIPAddressToString(StructuredIPv6 address)
    {
        Span<byte> buffer = stackalloc byte[64];
        int written = AddressText.FormatIPv6(address.Value, buffer);
        string expected = ModelPrefix.ToAddress(128, address.Value).ToString();

        Assert.That(Encoding.ASCII.GetString(buffer[..written]), Is.EqualTo(expected));
        Assert.That(PrefixParser.Parse(expected).ToString(), Is.EqualTo(expected + "/128"), "canonical text parses back");
    }

    [Test]
    public void FormatIPv4_EveryOctetValueInEveryPosition_MatchesIPAddressToString()
    {
        for (uint octet = 0; octet < 256; octet++)
        {
            foreach (uint address in new[] { octet * 0x01010101u, octet << 24, octet, (octet << 8) | 0xFF0000FF })
            {
                string expected = new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(address)).ToString();
                Assert.That(AddressText.Format(new CidrBlock<uint>(address, 32)), Is.EqualTo(expected + "/32"));
            }
        }
    }

    [FsCheckProperty(Arbitrary = [typeof(AddressArbitraries)], MaxTest = 1000)]
    public void Parse_UncompressedUpperCaseIPv6_IsRejectedButNamesTheCanonicalForm(StructuredIPv6 address)
    {
        IPAddress ip = ModelPrefix.ToAddress(128, address.Value);
        byte[] bytes = ip.GetAddressBytes();
        string longForm = string.Join(':', Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));

        bool parsed = PrefixParser.TryParse(longForm, PrefixParseOptions.None, out _, out string? error);

        Assert.That(parsed, Is.False);
        Assert.That(error, Does.Contain($"write \"{ip}\""));
    }

    /// <summary>
    /// Strict parsing checks canonical form on the parsed parts rather than by printing: so every way of
    /// writing an address (each zero run compressed or not, a dotted tail or not, a leading zero, upper
    /// case) must be accepted exactly when it is the text the runtime prints.
    /// </summary>
    [FsCheckProperty(Arbitrary = [typeof(AddressArbitraries)], MaxTest = 2000)]
    public void Parse_AnySpellingOfAnAddress_AcceptsExactlyTheCanonicalOne(StructuredIPv6 address)
    {
        IPAddress ip = ModelPrefix.ToAddress(128, address.Value);
        string canonical = ip.ToString();

        foreach (string spelling in Spellings(ip.GetAddressBytes()))
        {
            bool parsed = PrefixParser.TryParse(spelling, PrefixParseOptions.None, out IPNetwork prefix, out string? error);

            Assert.That(parsed, Is.EqualTo(spelling == canonical), $"{spelling} (canonical {canonical}): {error}");
            if (parsed)
            {
                Assert.That(prefix.BaseAddress, Is.EqualTo(ip));
            }
        }
    }

    private static IEnumerable<string> Spellings(byte[] bytes)
    {
        ushort[] words = Enumerable.Range(0, 8).Select(i => (ushort)((bytes[2 * i] << 8) | bytes[(2 * i) + 1])).ToArray();
        string dotted = $"{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}";
        Func<ushort, string>[] styles = [w => w.ToString("x", CultureInfo.InvariantCulture), w => w.ToString("x2", CultureInfo.InvariantCulture), w => w.ToString("X", CultureInfo.InvariantCulture)];
        foreach (int hexWords in new[] { 8, 6 })
        {
            foreach (Func<ushort, string> style in styles)
            {
                string[] parts = words.Take(hexWords).Select(style).ToArray();
                string tail = hexWords == 8 ? string.Empty : dotted;
                yield return Join(string.Join(':', parts), tail);
                for (int start = 0; start < hexWords; start++)
                {
                    for (int end = start + 1; end <= hexWords && words[end - 1] == 0; end++)
                    {
                        yield return Join(string.Join(':', parts[..start]) + "::" + string.Join(':', parts[end..]), tail);
                    }
                }
            }
        }

        static string Join(string hex, string tail) => tail.Length == 0 || hex.EndsWith("::", StringComparison.Ordinal) ? hex + tail : hex + ":" + tail;
    }

    public static class AddressArbitraries
    {
        // Words that trigger every formatting rule: zero runs, ffff (mapped), 5efe (ISATAP), small values.
        private static readonly Gen<ushort> Word = Gen.Frequency(
            (5, Gen.Constant((ushort)0)),
            (1, Gen.Constant((ushort)0xFFFF)),
            (1, Gen.Constant((ushort)0x5EFE)),
            (1, Gen.Constant((ushort)1)),
            (3, Gen.Choose(0, 0xFFFF).Select(i => (ushort)i)));

        public static Arbitrary<StructuredIPv6> Addresses() =>
            Gen.ArrayOf(Word, 8)
                .Select(words => new StructuredIPv6(words.Aggregate(UInt128.Zero, (acc, w) => (acc << 16) | w)))
                .ToArbitrary();
    }

    public sealed record StructuredIPv6(UInt128 Value)
    {
        public override string ToString() => ModelPrefix.ToAddress(128, Value).ToString();
    }
}
