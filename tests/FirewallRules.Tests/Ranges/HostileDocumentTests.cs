using System.Text;
using FirewallRules.Ranges;

namespace FirewallRules.Tests.Ranges;

/// <summary>
/// Documents built to break the reader: bytes that are not UTF-8, escapes that are not Unicode, and free text
/// meant for a terminal or a firewall's parser. Each is refused with its place, or kept as data and never printed.
/// </summary>
[TestFixture]
public class HostileDocumentTests
{
    private const string Logs = "\"logs\": {\"prefixes_ipv4\": [\"3.233.144.0/20\"], \"prefixes_ipv6\": []}";

    // Where the bad byte goes: a section key, a field key, a prefix, the stamp, a location key, a field no one reads.
    [TestCase("{\"version\": 1,\n \"lo\u00ffgs\": {}}", 2, 5)]
    [TestCase("{\"version\": 1, \"logs\": {\"prefixes\u00ff_ipv4\": []}}", 1, 34)]
    [TestCase("{\"version\": 1,\n\"logs\": {\"prefixes_ipv4\": [\n  \"3.233.\u00ff144.0/20\"]}}", 3, 10)]
    [TestCase("{\"version\": 1, \"modified\": \"2022\u00ff\"}", 1, 33)]
    [TestCase("{\"version\": 1, \"synthetics\": {\"prefixes_ipv4_by_location\": {\"aws:\u00ff\": []}}}", 1, 66)]
    [TestCase("{\"version\": 1, \"generated_by\": \"\u00fe\u00ff\"}", 1, 33)]
    public void Parse_InvalidUtf8_FailsWithTheLineAndByte(string latin1, int line, int column)
    {
        // Each char below U+0100 is one byte, so 0xFF and 0xFE land in the document as they are: never valid UTF-8.
        byte[] bytes = Encoding.Latin1.GetBytes(latin1);

        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesDocument.Parse(bytes));

        Assert.That(error.Message, Is.EqualTo($"invalid UTF-8 at line {line}, byte {column}: JSON text must be UTF-8"));
    }

    [TestCase("\"truncated \u00e9\"", new byte[] { 0xC3 })]
    [TestCase("\"overlong slash\"", new byte[] { 0xC0, 0xAF })]
    [TestCase("\"encoded surrogate\"", new byte[] { 0xED, 0xA0, 0x80 })]
    public void Parse_MalformedUtf8Sequence_IsRefused(string what, byte[] sequence)
    {
        byte[] bytes = [.. "{\"version\": 1, \"modified\": \""u8, .. sequence, .. "\"}"u8];

        Assert.That(() => IpRangesDocument.Parse(bytes), Throws.TypeOf<IpRangesFormatException>().With.Message.StartWith("invalid UTF-8 at line 1, byte 29"), what);
    }

    [TestCase("{\"version\": 1, \"lo\\ud800gs\": {}}", "invalid text")]
    [TestCase("{\"version\": 1, \"logs\": {\"prefixes_ipv4\\udc00\": []}}", "logs: invalid text")]
    [TestCase("{\"version\": 1, \"logs\": {\"prefixes_ipv4\": [\"3.233.144.0/20\", \"\\ud800\"]}}", "logs.prefixes_ipv4[1]: invalid text")]
    [TestCase("{\"version\": 1, \"modified\": \"\\ud800\"}", "modified: invalid text")]
    [TestCase(
        "{\"version\": 1, \"synthetics\": {\"prefixes_ipv6_by_location\": {\"aws:eu\": [\"\\udfff\"]}}}",
        "synthetics.prefixes_ipv6_by_location[\"aws:eu\"][0]: invalid text")]
    [TestCase("{\"version\": 1, \"synthetics\": {\"prefixes_ipv6_by_location\": {\"aws\\ud800\": []}}}", "synthetics.prefixes_ipv6_by_location: invalid text")]
    public void Parse_LoneSurrogateEscape_FailsNamingWhere(string json, string expected)
    {
        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesDocument.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.That(error.Message, Does.StartWith(expected).And.Contain("half of a surrogate pair"));
    }

    [Test]
    public void Parse_EscapedSurrogatePair_IsText()
    {
        IpRangesDocument document = IpRangesDocument.Parse("{\"version\": 1, \"modified\": \"\\ud83d\\ude00\"}"u8.ToArray());

        Assert.That(document.ModifiedText, Is.EqualTo("\ud83d\ude00"));
    }

    [TestCase("\\u001b]0;owned\\u0007\\u001b[2J")]
    [TestCase("2022-11-14-22-00-00\\n-A INPUT -j ACCEPT")]
    [TestCase("2022-11-14T22:00:00Z\\u2028flush ruleset")]
    [TestCase(" 2022-11-14-22-00-00")]
    [TestCase("\uff12\uff10\uff12\uff12-11-14-22-00-00")]
    [TestCase("2022-11-14-22-00-00-00")]
    [TestCase("99999-11-14T22:00:00Z")]
    public void Parse_ModifiedInNoRecognisedFormat_IsKeptButNeverPrinted(string modified)
    {
        IpRangesDocument document = IpRangesDocument.Parse($$"""{"version": 7, "modified": "{{modified}}", {{Logs}}}""");
        IpRangesDocument older = IpRangesDocument.Parse($$"""{"version": 6, {{Logs}}}""");

        Assert.That(document.Modified, Is.Null);
        Assert.That(document.ModifiedText, Is.Not.Empty, "the text is kept as data");
        Assert.That(document.ToString(), Is.EqualTo("ip-ranges version 7"));
        Assert.That(RuleSet.For(document, Section.Logs).Provenance.Modified, Is.Null);
        Assert.That(older.DiffTo(document).ToModified, Is.Empty);
        Assert.That(older.DiffTo(document).ToText(), Does.StartWith("ip-ranges version 6 -> version 7\n"));
    }

    [Test]
    public void Parse_HugeModified_IsKeptButNeverPrinted()
    {
        string huge = new('x', 1_000_000);

        IpRangesDocument document = IpRangesDocument.Parse($$"""{"version": 7, "modified": "{{huge}}", {{Logs}}}""");

        Assert.That(document.ModifiedText, Has.Length.EqualTo(huge.Length));
        Assert.That(RuleSet.For(document, Section.Logs).Describe(), Has.All.Length.LessThan(200));
    }

    [TestCase("2022-11-14-22-00-00", "2022-11-14T22:00:00Z")]
    [TestCase("2022-11-14T22:00:00.125Z", "2022-11-14T22:00:00.125Z")]
    [TestCase("2022-11-14T23:00:00+01:00", "2022-11-14T22:00:00Z")]
    public void Parse_ModifiedInARecognisedFormat_IsPrintedAsWritten(string modified, string utc)
    {
        IpRangesDocument document = IpRangesDocument.Parse($$"""{"version": 7, "modified": "{{modified}}", {{Logs}}}""");

        Assert.That(document.Modified, Is.EqualTo(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(document.ToString(), Is.EqualTo($"ip-ranges version 7 ({modified})"));
        Assert.That(RuleSet.For(document, Section.Logs).Provenance.Modified, Is.EqualTo(modified));
    }

    [TestCase("\"1.2.3.4\\u001b[2J/32\"", "\"1.2.3.4\\u001B[2J/32\" is not a valid prefix")]
    [TestCase("\"3.233.144.0/20\\u202e\"", "\"3.233.144.0/20\\u202E\" is not a valid prefix")]
    [TestCase("\"\\u0085\\u2028\"", "\"\\u0085\\u2028\" is not a valid prefix")]
    public void Parse_HostilePrefixText_IsQuotedEscaped(string prefix, string expected)
    {
        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesDocument.Parse($$$"""{"version": 1, "logs": {"prefixes_ipv4": [{{{prefix}}}]}}"""));

        Assert.That(error.Message, Does.Contain(expected));
        Assert.That(error.Message.Any(c => char.IsControl(c) || c is '\u2028' or '\u202e'), Is.False);
    }

    [Test]
    [Platform("Linux")]
    public void Load_FileThatNeverEnds_IsRefusedByTheBytesRead()
    {
        // /dev/zero reports a length of 0, so a check of the file's size would let it through.
        var options = new IpRangesParseOptions { MaxBytes = 1024 };

        Assert.That(() => IpRangesDocument.Load("/dev/zero", options: options), Throws.TypeOf<IpRangesFormatException>()
            .With.Message.EqualTo("the document is larger than the 1024 bytes allowed"));
    }

    [Test]
    public void Parse_HugeWrongVersion_IsQuotedShort()
    {
        var error = Assert.Throws<IpRangesFormatException>(() => IpRangesDocument.Parse($$"""{"version": "{{new string('9', 100_000)}}\u001b"}"""));

        Assert.That(error.Message, Does.StartWith("version: must be a whole number, found \"999").And.EndWith("...").And.Length.LessThan(120));
    }
}
