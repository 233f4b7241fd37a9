using System.Globalization;
using System.Text;
using FirewallRules.Cidr;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Cidr.Bulk;

/// <summary>
/// The vector read of a canonical IPv6 address accepts exactly what the digit-at-a-time read (the simple model,
/// <see cref="CommonLines.TryReadCanonicalIPv6"/>) accepts where the address ends, with the same value and end: on every
/// spelling of random addresses (compressed or not, leading zeros, upper case, a dotted tail) and on broken ones.
/// </summary>
[TestFixture]
public class HexGroupsTests
{
    private const string Alphabet = "0123456789abcdefABCDEF:::::./ \r\n";

    [Test]
    public void GroupValue_EveryGroupOfOneToFourDigits_IsItsValue()
    {
        byte[] text = new byte[8];
        for (uint value = 0; value <= 0xFFFF; value++)
        {
            foreach (string digits in new[] { value.ToString("x", CultureInfo.InvariantCulture), value.ToString("x4", CultureInfo.InvariantCulture) })
            {
                Encoding.ASCII.GetBytes(digits + ":xyz", text);
                Assert.That(HexGroups.GroupValue(ref text[0], digits.Length), Is.EqualTo(value), digits);
            }
        }
    }

    [Test]
    public void Read_AnySpellingOfRandomAddresses_AgreesWithTheDigitAtATimeRead()
    {
        var random = new Random(1918);
        int accepted = 0;
        for (int n = 0; n < 40_000; n++)
        {
            string address = Spelling(random, RandomAddress(random));
            string line = address + Suffixes[random.Next(Suffixes.Length)];
            var padding = new string(Enumerable.Range(0, 80).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            byte[] data = Encoding.ASCII.GetBytes(line + padding);

            accepted += Agrees(data, $"{line.ReplaceLineEndings("\\n")} (then {padding.ReplaceLineEndings("\\n")})") ? 1 : 0;
        }

        Assert.That(accepted, Is.GreaterThan(10_000), "canonical spellings are common among the cases");
    }

    private static readonly string[] Suffixes = ["/64\n", "\n", "\r\n", "/128\n", "/7", " ", "", ":", "::", "0", "A", ".1.2.3"];

    /// <summary>Whether the vector read accepted the line; asserts that it agrees with the digit-at-a-time read.</summary>
    private static bool Agrees(byte[] data, string what)
    {
        int i = 0;
        bool simple = CommonLines.TryReadCanonicalIPv6(data, ref i, out ulong upper, out ulong lower);
        bool simpleEnds = simple && !(data[i] == ':' || AddressText.HexValues[data[i]] <= AddressText.MaxLowerCaseDigit);
        int end = HexGroups.Read(ref data[0], 0, out ulong vectorUpper, out ulong vectorLower);

        Assert.That(end >= 0, Is.EqualTo(simpleEnds), what);
        if (end >= 0)
        {
            Assert.That((end, vectorUpper, vectorLower), Is.EqualTo((i, upper, lower)), what);
        }

        return end >= 0;
    }

    private static UInt128 RandomAddress(Random random)
    {
        UInt128 address = 0;
        for (int w = 0; w < 8; w++)
        {
            int kind = random.Next(10);
            ushort word = kind < 4 ? (ushort)0 : kind == 4 ? (ushort)0xFFFF : kind == 5 ? (ushort)random.Next(16) : (ushort)random.Next(0x10000);
            address = (address << 16) | word;
        }

        return address;
    }

    private static string Spelling(Random random, UInt128 address)
    {
        Span<byte> buffer = stackalloc byte[64];
        string canonical = Encoding.ASCII.GetString(buffer[..AddressText.FormatIPv6Hex(address, buffer)]);
        string[] words = Enumerable.Range(0, 8).Select(w => ((ushort)(address >> (112 - (16 * w)))).ToString("x", CultureInfo.InvariantCulture)).ToArray();
        string spelling = random.Next(8) switch
        {
            0 => string.Join(':', words),
            1 => string.Join(':', words.Select(w => w.PadLeft(4, '0'))),
            2 => canonical.ToUpperInvariant(),
            3 => Encoding.ASCII.GetString(buffer[..AddressText.FormatIPv6(address, buffer)]),
            _ => canonical,
        };
        if (random.Next(4) == 0)
        {
            // A broken copy: one byte replaced, dropped or added.
            int at = random.Next(spelling.Length + 1);
            char c = Alphabet[random.Next(Alphabet.Length)];
            spelling = random.Next(3) switch
            {
                0 when at < spelling.Length => spelling[..at] + c + spelling[(at + 1)..],
                1 when at < spelling.Length => spelling[..at] + spelling[(at + 1)..],
                _ => spelling[..at] + c + spelling[at..],
            };
        }

        return spelling;
    }
}
