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
