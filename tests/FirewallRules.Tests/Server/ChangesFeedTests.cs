using System.Globalization;
using System.Text;
using System.Xml.Linq;
using FirewallRules.Server;
using FirewallRules.Server.Pages;

namespace FirewallRules.Tests.Server;

/// <summary>
/// The changes feed's dates come from documents, which the mirror does not vouch for: a <c>modified</c> later than the mirror
/// stored the version (a clock or a document from the future) is not a feed's <c>updated</c>; the time it was stored is.
/// </summary>
[TestFixture]
[Category("Server")]
public sealed class ChangesFeedTests
{
    private static readonly DateTimeOffset Stored = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [TestCase("2099-12-31-23-59-59", "2026-03-01T12:00:00Z")]
    [TestCase("9999-12-31T23:59:59", "2026-03-01T12:00:00Z")]
    [TestCase("2026-02-27-10-00-00", "2026-02-27T10:00:00Z")]
    public void Feed_ModifiedAfterTheVersionWasStored_IsNotItsUpdated(string modified, string updated)
    {
        var mirror = new SiteMirror(new MirroredSite("us1", Site.US1, Site.US1));
        IpRangesDocument first = Document(60, "2026-01-01-00-00-00", "3.233.144.0/20");
        IpRangesDocument next = Document(61, modified, "3.233.160.0/20");
        mirror.Remember(VersionHistory.Empty.With(first, null, Stored.AddDays(-30)).With(next, first, Stored));

        XElement feed = XElement.Parse(Encoding.UTF8.GetString(ChangesFeed.Render(mirror, "urn:test", "https://mirror.example", Stored.AddDays(1))));
        XNamespace atom = "http://www.w3.org/2005/Atom";

        Assert.That(feed.Element(atom + "updated")!.Value, Is.EqualTo(updated), "the feed's updated");
        Assert.That(feed.Elements(atom + "entry").Select(e => e.Element(atom + "updated")!.Value), Is.EqualTo(new[] { updated }), "the entry's updated");
    }

    private static IpRangesDocument Document(long version, string modified, string prefix) => IpRangesDocument.Parse(
        "{\"version\":" + version.ToString(CultureInfo.InvariantCulture) + ",\"modified\":\"" + modified + "\",\"logs\":{\"prefixes_ipv4\":[\"" + prefix
            + "\"],\"prefixes_ipv6\":[]}}",
        Site.US1);
}
