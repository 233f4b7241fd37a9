using System.Globalization;
using System.Text;
using System.Xml;

namespace FirewallRules.Server.Pages;

/// <summary>
/// <c>/v1/{site}/changes.atom</c>: an Atom feed (RFC 4287) with one entry per version change among the stored
/// versions, newest first, each with the change notice's text, for feed readers and chat integrations.
/// </summary>
internal static class ChangesFeed
{
    /// <summary>The media type of the feed.</summary>
    public const string ContentType = "application/atom+xml; charset=utf-8";

    private const string Atom = "http://www.w3.org/2005/Atom";

    /// <summary>The feed of <paramref name="mirror"/>, whose id is <paramref name="id"/>, for a mirror reached at <paramref name="origin"/>.</summary>
    public static byte[] Render(SiteMirror mirror, string id, string origin, DateTimeOffset now)
    {
        string key = mirror.Site.Key;
        VersionRecord[] changed = [.. mirror.History.Versions.Where(v => v.Change is not null).Reverse()];
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteElementString("id", Atom, id);
            xml.WriteElementString("title", Atom, $"Datadog IP ranges changes: {mirror.Site.Site}");
            xml.WriteElementString("updated", Atom, Html.Stamp(changed.Length > 0 ? Updated(changed[0]) : mirror.History.Latest?.StoredAt ?? now));
            WriteLink(xml, "self", origin + PageRoutes.Feed(key));
            WriteLink(xml, "alternate", origin + PageRoutes.History(key));
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, "fwrules serve");
            xml.WriteEndElement();
            foreach (VersionRecord version in changed)
            {
                WriteEntry(xml, key, origin, version);
            }

            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }

    private static void WriteEntry(XmlWriter xml, string key, string origin, VersionRecord version)
    {
        VersionChange change = version.Change!;
        string text = Html.Printable(change.Text);
        xml.WriteStartElement("entry", Atom);
        xml.WriteElementString("id", Atom, change.Id);
        xml.WriteElementString("title", Atom, text);
        xml.WriteElementString("updated", Atom, Html.Stamp(Updated(version)));
        WriteLink(xml, "alternate", string.Create(CultureInfo.InvariantCulture, $"{origin}{PageRoutes.Diff(key)}?from={change.FromVersion}&to={version.Version}"));
        xml.WriteStartElement("content", Atom);
        xml.WriteAttributeString("type", "text");
        xml.WriteString(text);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>
    /// When the change happened: the document's own date when it has one no later than when the mirror stored it, else when the mirror
    /// stored it. A document's date is its own word: one from the future (a clock or a document out of true) never dates the feed ahead.
    /// </summary>
    private static DateTimeOffset Updated(VersionRecord version) =>
        version.Modified is { } modified && modified <= version.StoredAt ? modified : version.StoredAt;

    private static void WriteLink(XmlWriter xml, string relation, string href)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", relation);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

}
