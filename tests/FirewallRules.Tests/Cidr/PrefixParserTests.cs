using System.Net;
using FirewallRules.Cidr;

namespace FirewallRules.Tests.Cidr;

[TestFixture]
public class PrefixParserTests
{
    [TestCase("10.0.0.0/8", "10.0.0.0/8")]
    [TestCase("0.0.0.0/0", "0.0.0.0/0")]
    [TestCase("255.255.255.255/32", "255.255.255.255/32")]
    [TestCase("192.0.2.7", "192.0.2.7/32")]
    [TestCase("::/0", "::/0")]
    [TestCase("::", "::/128")]
    [TestCase("2600:1f18:24e6:b900::/56", "2600:1f18:24e6:b900::/56")]
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")]
    [TestCase("::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120")]
    [TestCase("2001:db8::1:0:0:1", "2001:db8::1:0:0:1/128")]
    [TestCase("::102:304", "::1.2.3.4/128")]
    [TestCase("::ffff:102:304/128", "::ffff:1.2.3.4/128")]
    [TestCase("::ffff:0:102:304", "::ffff:0:1.2.3.4/128")]
    [TestCase("::ffff:0.0.0.1", "::ffff:0:1/128")]
    [TestCase("::0.0.0.1", "::1/128")]
    [TestCase("fe80::5efe:c000:201", "fe80::5efe:192.0.2.1/128")]
    public void Parse_CanonicalText_PrintsBackCanonically(string text, string expected)
    {
        IPNetwork prefix = PrefixParser.Parse(text);

        Assert.That(prefix.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_IPv4MappedAddress_StaysIPv6()
    {
        Assert.That(PrefixParser.Parse("::ffff:10.0.0.1").BaseAddress.AddressFamily, Is.EqualTo(System.Net.Sockets.AddressFamily.InterNetworkV6));
    }

    [TestCase("1", "not a complete IPv4 or IPv6 address")]
    [TestCase("1.2.3", "not a complete IPv4 or IPv6 address")]
    [TestCase("1.2.3.4.5", "unexpected character '.'")]
    [TestCase("010.0.0.0/8", "leading zero")]
    [TestCase("10.0.0.00", "leading zero")]
    [TestCase("0177.0.0.1", "an octet has a leading zero")]
    [TestCase("1.2.3.0001", "an octet has a leading zero")]
    [TestCase("::ffff:1.2.3.0001", "an octet has a leading zero")]
    [TestCase("10.0.0.0/0008", "the prefix length has a leading zero")]
    [TestCase("::/0064", "the prefix length has a leading zero")]
    [TestCase("256.0.0.0/8", "larger than 255")]
    [TestCase("1000.0.0.0/8", "larger than 255")]
    [TestCase("1.2.3.4/33", "out of range for IPv4 (0-32)")]
    [TestCase("::/129", "out of range for IPv6 (0-128)")]
    [TestCase("10.0.0.0/08", "prefix length has a leading zero")]
    [TestCase("10.0.0.0/", "prefix length after '/' is missing")]
    [TestCase("10.0.0.0/8/8", "unexpected character '/'")]
    [TestCase("10.0.0.0/8 ", "unexpected character ' '")]
    [TestCase(" 10.0.0.0/8", "unexpected character ' '")]
    [TestCase("10.0.0.1/8", "has host bits set (the network is 10.0.0.0/8)")]
    [TestCase("2001:db8::1/32", "has host bits set (the network is 2001:db8::/32)")]
    [TestCase("2001:DB8::/32", "write \"2001:db8::/32\"")]
    [TestCase("2001:db8:0:0:0:0:0:0/32", "write \"2001:db8::/32\"")]
    [TestCase("2001:0db8::/32", "write \"2001:db8::/32\"")]
    [TestCase("64:ff9b::1.2.3.4", "write \"64:ff9b::102:304\"")]
    [TestCase("::FFFF:102:304", "write \"::ffff:102:304\"")]
    [TestCase("0:0:0:0:0:ffff:1.2.3.4", "write \"::ffff:1.2.3.4\"")]
    [TestCase("1:2:3:4:5:6:1.2.3.4", "write \"1:2:3:4:5:6:102:304\"")]
    [TestCase("fe80::1%eth0", "unexpected character '%'")]
    [TestCase("1:2:3:4:5:6:7:8:9", "not a complete IPv4 or IPv6 address")]
    [TestCase("1::2::3", "not a complete IPv4 or IPv6 address")]
    [TestCase(":1::", "not a complete IPv4 or IPv6 address")]
    [TestCase("12345::", "not a complete IPv4 or IPv6 address")]
    [TestCase("default", "unexpected character 'd'")]
    [TestCase("", "empty prefix")]
    [TestCase("10.0.0.0/8\n-A OUTPUT -j ACCEPT", "unexpected character '\\x0A'")]
    [TestCase("10.0.0.0/8 # 0123456789012345678901234567890123456789", "longer than any IPv4 or IPv6 prefix")]
    public void TryParse_InvalidText_FailsWithTheReason(string text, string reason)
    {
        bool parsed = PrefixParser.TryParse(text, PrefixParseOptions.None, out _, out string? error);

        Assert.That(parsed, Is.False);
        Assert.That(error, Does.Contain(reason));
        Assert.That(() => PrefixParser.Parse(text), Throws.TypeOf<PrefixFormatException>().With.Message.Contains(reason));
    }

    [TestCase("010.0.0.0/8")]
    [TestCase("10.1/16")]
    [TestCase("10.0.0.1/8")]
    [TestCase("2001:DB8::/32")]
    public void Parse_TextIPNetworkAccepts_IsRejectedHere(string text)
    {
        Assert.That(IPNetwork.TryParse(text, out _), Is.True, "the runtime is lenient with this text");
        Assert.That(PrefixParser.IsValid(text), Is.False);
    }

    [TestCase("2001:DB8::/32", "2001:db8::/32")]
    [TestCase("2001:0db8:0000:0000:0000:0000:0000:0000/32", "2001:db8::/32")]
    [TestCase("0:0:0:0:0:ffff:c000:201", "::ffff:192.0.2.1/128")]
    [TestCase("64:FF9B::1.2.3.4", "64:ff9b::102:304/128")]
    [TestCase("1:0:0:1:0:0:0:0", "1:0:0:1::/128")]
    [TestCase("1::1:0:0:0:0", "1:0:0:1::/128")]
    public void Parse_AnyIPv6Text_ReadsTheAddressAndPrintsItCanonically(string text, string expected)
    {
        Assert.That(PrefixParser.IsValid(text), Is.False, "strict parsing takes only the canonical spelling");
        Assert.That(PrefixParser.Parse(text, PrefixParseOptions.AnyIPv6Text).ToString(), Is.EqualTo(expected));
    }

    [TestCase("1::2::3", "not a complete IPv4 or IPv6 address")]
    [TestCase("12345::", "not a complete IPv4 or IPv6 address")]
    [TestCase("::g", "unexpected character 'g'")]
    [TestCase("010.0.0.1", "leading zero")]
    [TestCase("2001:db8::1/32", "host bits set")]
    public void Parse_AnyIPv6TextWithInvalidText_StillFails(string text, string reason)
    {
        Assert.That(() => PrefixParser.Parse(text, PrefixParseOptions.AnyIPv6Text), Throws.TypeOf<PrefixFormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void Parse_ClearHostBits_ReturnsTheNetwork()
    {
        Assert.That(PrefixParser.Parse("10.1.2.3/8", PrefixParseOptions.ClearHostBits).ToString(), Is.EqualTo("10.0.0.0/8"));
    }

    // The host bits are checked and cleared on the address's two 64-bit halves: every length, on each side of the
    // halves' boundary, against the framework's own IPNetwork.Parse (which clears them).
    [TestCase("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [TestCase("8000::1")]
    [TestCase("::1:8000:0:0:0")]
    [TestCase("255.255.255.255")]
    [TestCase("128.0.0.1")]
    public void Parse_HostBitsAtEveryLength_AreFoundAndClearedAsTheFrameworkClearsThem(string address)
    {
        int width = address.Contains(':') ? 128 : 32;
        for (int length = 0; length <= width; length++)
        {
            string text = $"{address}/{length}";
            IPNetwork expected = IPNetwork.Parse(text);
            bool hostBits = !expected.BaseAddress.Equals(IPAddress.Parse(address));
            Assert.That(PrefixParser.Parse(text, PrefixParseOptions.ClearHostBits), Is.EqualTo(expected), text);
            Assert.That(PrefixParser.TryParse(text, PrefixParseOptions.None, out _, out string? error), Is.EqualTo(!hostBits), $"{text}: {error}");
        }
    }

    [Test]
    public void Parse_Utf8AndCharOverloads_Agree()
    {
        Assert.That(PrefixParser.Parse("2600:1f18::/32"u8), Is.EqualTo(PrefixParser.Parse("2600:1f18::/32".AsSpan())));
    }

    [Test]
    public void TryParse_NonAsciiCharacter_FailsWithoutThrowing()
    {
        Assert.That(PrefixParser.TryParse("10.0.0.0/８", PrefixParseOptions.None, out _, out string? error), Is.False);
        Assert.That(error, Does.Contain("not ASCII"));
    }
}
