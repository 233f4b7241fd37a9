using System.Globalization;
using System.Text;
using FirewallRules.IO;

// FsCheck supplies the parameters of [Property] methods; NUnit's analyzer cannot see that.
#pragma warning disable NUnit1027

namespace FirewallRules.Tests.IO;

[TestFixture]
public class TerminalTextTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [TestCase("\u001b]0;owned\u0007\u001b[2J", "\\u001B]0;owned\\u0007\\u001B[2J")]
    [TestCase("a\u0000b\u007fc\u0085d\u009be", "a\\u0000b\\u007Fc\\u0085d\\u009Be")]
    [TestCase("line\nnext\r\u2028\u2029", "line\\u000Anext\\u000D\\u2028\\u2029")]
    [TestCase("\u202egnp.exe\u2066x\u2069\u200b", "\\u202Egnp.exe\\u2066x\\u2069\\u200B")]
    [TestCase("tag \udb40\udc01 char", "tag \\uDB40\\uDC01 char")]
    [TestCase("caf\u00e9 \ud83d\ude00 \"q\" 'a' \\ ok", "caf\u00e9 \ud83d\ude00 \"q\" 'a' \\ ok")]
    public void Escape_CharactersThatActOnATerminal_BecomeEscapesAndTheRestStays(string text, string expected)
    {
        Assert.That(TerminalText.Escape(text), Is.EqualTo(expected));
    }

    [Test]
    public void Escape_HalfOfASurrogatePair_BecomesAnEscape()
    {
        // Built here: a test case's attribute cannot carry a lone surrogate.
        Assert.That(TerminalText.Escape($"half {(char)0xD800} pair {(char)0xDC00}"), Is.EqualTo("half \\uD800 pair \\uDC00"));
    }

    [Test]
    public void Escape_ReplacementCharacterOfInvalidBytes_BecomesAnEscape()
    {
        Assert.That(TerminalText.Escape("site \uFFFD\uFFFD"), Is.EqualTo("site \\uFFFD\\uFFFD"));
    }

    [Test]
    public void Escape_LongText_IsCutWithAnEllipsis()
    {
        string escaped = TerminalText.Escape(new string('x', 1_000_000));

        Assert.That(escaped, Is.EqualTo(new string('x', TerminalText.DefaultMaxLength - 3) + "..."));
    }

    [FsCheckProperty(MaxTest = 500)]
    public void Escape_AnyText_HoldsNothingThatActsAndIsBounded(string? text)
    {
        string escaped = TerminalText.Escape(text ?? string.Empty);

        Assert.That(() => StrictUtf8.GetBytes(escaped), Throws.Nothing, "no half of a surrogate pair is left");
        Assert.That(
            escaped.EnumerateRunes().Where(r => Rune.GetUnicodeCategory(r)
                is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator),
            Is.Empty);
        Assert.That(escaped.Length, Is.LessThanOrEqualTo((TerminalText.DefaultMaxLength * 6) + 3));
    }
}
