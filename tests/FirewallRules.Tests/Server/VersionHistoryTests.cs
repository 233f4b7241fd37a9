using System.Globalization;
using FirewallRules.Server;
using FirewallRules.Server.Pages;

namespace FirewallRules.Tests.Server;

/// <summary>The page's memory of versions: bounded to the newest, each change stated against the version just before it; and its escaping.</summary>
[TestFixture]
[Category("Server")]
public sealed class VersionHistoryTests
{
    [Test]
    public void With_MoreVersionsThanTheBound_KeepsTheNewest()
    {
        VersionHistory history = VersionHistory.Empty;
        IpRangesDocument? previous = null;
        for (long version = 1; version <= VersionHistory.MaxVersions + 5; version++)
        {
            IpRangesDocument document = Document(version, version % 2 == 0 ? "3.0.0.0/24" : "3.0.1.0/24");
            history = history.With(document, previous, DateTimeOffset.UnixEpoch);
            previous = document;
        }

        Assert.That(history.Versions, Has.Count.EqualTo(VersionHistory.MaxVersions));
        Assert.That((history.Versions[0].Version, history.Latest!.Version), Is.EqualTo((6L, VersionHistory.MaxVersions + 5L)));
        Assert.That(history.Latest.Change!.Text, Does.Contain($"from version {VersionHistory.MaxVersions + 4} to {VersionHistory.MaxVersions + 5}: logs +1 -1 prefixes"));
    }

    [Test]
    public void With_AnOlderOrTheSameVersion_ChangesNothing()
    {
        VersionHistory history = VersionHistory.Empty.With(Document(5, "3.0.0.0/24"), null, DateTimeOffset.UnixEpoch);

        Assert.That(history.With(Document(4, "3.0.0.0/24"), null, DateTimeOffset.UnixEpoch), Is.SameAs(history));
        Assert.That(history.With(Document(5, "3.0.0.0/24"), null, DateTimeOffset.UnixEpoch), Is.SameAs(history));
    }

    [Test]
    public void Escape_MarkupQuotesAndControlCharacters_BecomeText()
    {
        string escaped = Html.Escape("<script>\"onload='x'&\u0007");

        // Ordinal: a culture-aware search finds the ignorable U+0007 in any string.
        Assert.That(escaped.IndexOfAny(['<', '"', '\'', '\u0007']), Is.EqualTo(-1), escaped);
        Assert.That(System.Net.WebUtility.HtmlDecode(escaped), Is.EqualTo("<script>\"onload='x'&\uFFFD"));
    }

    [TestCase("\u202E", "a right-to-left override")]
    [TestCase("\u2066", "a left-to-right isolate")]
    [TestCase("\u200B", "a zero-width space")]
    [TestCase("\u2028", "a line separator")]
    [TestCase("\uFEFF", "a byte order mark")]
    public void Escape_FormatCharacters_BecomeReplacementCharacters(string hidden, string what)
    {
        string escaped = Html.Escape($"exe.{hidden}txt");

        // Encoded as a character reference, the browser would still apply it: it must not be there in any form.
        Assert.That(System.Net.WebUtility.HtmlDecode(escaped), Is.EqualTo("exe.\uFFFDtxt"), what);
        Assert.That(System.Net.WebUtility.HtmlDecode(Html.Printable($"exe.{hidden}txt")), Is.EqualTo("exe.\uFFFDtxt"), what);
    }

    private static IpRangesDocument Document(long version, string prefix) => IpRangesDocument.Parse(
        "{\"version\":" + version.ToString(CultureInfo.InvariantCulture) + ",\"modified\":\"2024-01-01-00-00-00\",\"logs\":{\"prefixes_ipv4\":[\"" + prefix
            + "\"],\"prefixes_ipv6\":[]}}",
        Site.US1);
}
