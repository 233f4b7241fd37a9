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
    public void FormatIPv6_EveryPatternOfZeroWords_MatchesIPAddressToStringAndParsesBack()
    {
        // Which words are zero decides where "::" goes (and, under the IPv4 prefixes, a dotted tail): all 256 patterns,
        // with the other words at 1 and at a value that prints four digits.
        Span<byte> buffer = stackalloc byte[64];
        foreach (ushort other in new ushort[] { 0x1, 0xbeef })
        {
            for (int zeros = 0; zeros < 256; zeros++)
            {
                UInt128 address = UInt128.Zero;
                for (int w = 0; w < 8; w++)
                {
                    address = (address << 16) | ((zeros & (1 << w)) != 0 ? 0u : other);
                }

                string expected = ModelPrefix.ToAddress(128, address).ToString();
                int written = AddressText.FormatIPv6(address, buffer);

                Assert.That(Encoding.ASCII.GetString(buffer[..written]), Is.EqualTo(expected), $"zero words {zeros:b8}");
                Assert.That(PrefixParser.Parse(expected).ToString(), Is.EqualTo(expected + "/128"), "canonical text parses back");
            }
        }
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
        ushort[] words = Words(address.Value);
        string longForm = string.Join(':', words.Select(w => w.ToString("X4", CultureInfo.InvariantCulture)));

        bool parsed = PrefixParser.TryParse(longForm, PrefixParseOptions.None, out _, out string? error);

        Assert.That(parsed, Is.False);
        Assert.That(error, Does.Contain($"write \"{Rfc5952(words, dottedTail: false)}\""));
    }

    /// <summary>
    /// Strict parsing checks canonical form on the parsed parts rather than by printing: so every way of
    /// writing an address (each zero run compressed or not, a dotted tail or not, a leading zero, upper
    /// case) must be accepted exactly when it is RFC 5952's text: all in hex, or with a dotted tail under
    /// a prefix that embeds IPv4. The runtime's text is always one of them. With
    /// <see cref="PrefixParseOptions.AnyIPv6Text"/>, every spelling reads as the address.
    /// </summary>
    [FsCheckProperty(Arbitrary = [typeof(AddressArbitraries)], MaxTest = 2000)]
    public void Parse_AnySpellingOfAnAddress_AcceptsExactlyTheCanonicalOnes(StructuredIPv6 address)
    {
        IPAddress ip = ModelPrefix.ToAddress(128, address.Value);
        ushort[] words = Words(address.Value);
        string[] canonical = EmbedsIPv4(words) ? [Rfc5952(words, false), Rfc5952(words, true)] : [Rfc5952(words, false)];
        Assert.That(canonical, Does.Contain(ip.ToString()), "the runtime writes one of the canonical forms");

        foreach (string spelling in Spellings(ip.GetAddressBytes()))
        {
            bool parsed = PrefixParser.TryParse(spelling, PrefixParseOptions.None, out IPNetwork prefix, out string? error);

            Assert.That(parsed, Is.EqualTo(canonical.Contains(spelling)), $"{spelling} (canonical {string.Join(" or ", canonical)}): {error}");
            if (parsed)
            {
                Assert.That(prefix.BaseAddress, Is.EqualTo(ip));
            }

            Assert.That(PrefixParser.Parse(spelling, PrefixParseOptions.AnyIPv6Text).BaseAddress, Is.EqualTo(ip), spelling);
        }
    }

    /// <summary>What Python's ipaddress, Go's net/netip and Rust's std print for each address reads back strictly as that address.</summary>
    [Test]
    public void Parse_TextOfMainstreamFormatters_IsAcceptedStrictly()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Cidr", "Vectors", "ipv6-formatters.txt"))
            .Where(line => !line.StartsWith('#')).ToArray();
        Assert.That(lines, Has.Length.GreaterThan(100));

        foreach (string line in lines)
        {
            string[] fields = line.Split(' ');
            var expected = new IPAddress(Convert.FromHexString(fields[0]));
            foreach (string text in fields.Skip(1))
            {
                Assert.That(PrefixParser.TryParse(text, PrefixParseOptions.None, out IPNetwork prefix, out string? error), Is.True, $"{text}: {error}");
                Assert.That(prefix.BaseAddress, Is.EqualTo(expected), text);
                Assert.That(prefix.PrefixLength, Is.EqualTo(128));
            }
        }
    }

    /// <summary>RFC 5952 written plainly: hex groups, the longest run of two or more zero groups as "::" (the first on a tie), optionally the last 32 bits dotted.</summary>
    private static string Rfc5952(ushort[] words, bool dottedTail)
    {
        int hexWords = dottedTail ? 6 : 8;
        int bestStart = -1, bestLength = 1;
        for (int start = 0; start < hexWords; start++)
        {
            int length = 0;
            while (start + length < hexWords && words[start + length] == 0)
            {
                length++;
            }

            if (length > bestLength)
            {
                (bestStart, bestLength) = (start, length);
            }
        }

        string[] hex = words.Take(hexWords).Select(w => w.ToString("x", CultureInfo.InvariantCulture)).ToArray();
        string text = bestStart < 0 ? string.Join(':', hex)
            : string.Join(':', hex[..bestStart]) + "::" + string.Join(':', hex[(bestStart + bestLength)..]);
        if (!dottedTail)
        {
            return text;
        }

        string dotted = $"{words[6] >> 8}.{words[6] & 0xFF}.{words[7] >> 8}.{words[7] & 0xFF}";
        return text.EndsWith(':') ? text + dotted : text + ":" + dotted;
    }

    /// <summary>The well-known prefixes that embed IPv4 (RFC 4291 compatible and mapped, RFC 2765 translated) and ISATAP's identifier.</summary>
    private static bool EmbedsIPv4(ushort[] words) =>
        (words.Take(4).All(w => w == 0) && ((words[4], words[5]) is (0, 0) or (0, 0xFFFF) or (0xFFFF, 0))) || (words[4], words[5]) is (0, 0x5EFE);

    private static ushort[] Words(UInt128 value) => Enumerable.Range(0, 8).Select(i => (ushort)(value >> (112 - (16 * i)))).ToArray();

    private static IEnumerable<string> Spellings(byte[] bytes)
    {
        ushort[] words = Enumerable.Range(0, 8).Select(i => (ushort)((bytes[2 * i] << 8) | bytes[(2 * i) + 1])).ToArray();
        string dotted = $"{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}";
        Func<ushort, string>[] styles =
        [
            w => w.ToString("x", CultureInfo.InvariantCulture), w => w.ToString("x2", CultureInfo.InvariantCulture), w => w.ToString("X", CultureInfo.InvariantCulture)
        ];
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
