using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FirewallRules.Ranges;
using FirewallRules.Rules;

namespace FirewallRules.Notices;

/// <summary>
/// What to tell people when a site's ip-ranges document changes version: per section and address family the
/// prefixes added and removed (aggregated, so a reshuffle that changes no address is no change), whether egress
/// or ingress rules are affected, and a one-line summary for chat webhooks.
/// </summary>
/// <remarks>
/// <para>As JSON (<see cref="ToJson"/>): <c>id</c>, <c>site</c>, <c>source</c>, <c>oldVersion</c>, <c>newVersion</c>,
/// <c>oldModified</c>, <c>modified</c>, <c>egressAffected</c>, <c>ingressAffected</c>, <c>sections</c> (each with
/// <c>name</c>, <c>direction</c> and <c>ipv4</c>/<c>ipv6</c> objects holding <c>added</c> and <c>removed</c>) and
/// <c>text</c>, the line Slack and most chat webhooks display.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class ChangeNotice
{
    private ChangeNotice(string site, string source, IpRangesDiff diff, IReadOnlyList<IpRangesSectionDiff> sections)
    {
        Site = site;
        Source = source;
        Diff = diff;
        Sections = sections;
        AffectsEgress = sections.Any(s => DirectionOf(s) == Direction.Egress);
        AffectsIngress = sections.Any(s => DirectionOf(s) == Direction.Ingress);
        Id = string.Create(CultureInfo.InvariantCulture, $"{source}#v{diff.FromVersion}-v{diff.ToVersion}");
        Text = Summarize();
    }

    /// <summary>Identifies the change (the source and both versions), for receivers that drop repeats.</summary>
    public string Id { get; }

    /// <summary>The site, e.g. <c>US1 (datadoghq.com)</c>, or the mirror's address.</summary>
    public string Site { get; }

    /// <summary>The address the document came from.</summary>
    public string Source { get; }

    /// <summary>The whole difference between the two documents.</summary>
    public IpRangesDiff Diff { get; }

    /// <summary>The sections whose addresses changed, by key.</summary>
    public IReadOnlyList<IpRangesSectionDiff> Sections { get; }

    /// <summary>Whether a section whose rules are egress (what your hosts connect to) changed its addresses.</summary>
    public bool AffectsEgress { get; }

    /// <summary>Whether a section whose rules are ingress (what Datadog connects from) changed its addresses.</summary>
    public bool AffectsIngress { get; }

    /// <summary>One line for people, e.g. <c>Datadog IP ranges for US1 (datadoghq.com) changed from version 52 to 59: logs +1 -3 prefixes; egress rules affected</c>.</summary>
    public string Text { get; }

    /// <summary>The notice for the change from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    /// <param name="previous">The document that was current before.</param>
    /// <param name="current">The document that is current now; its <see cref="IpRangesDocument.Site"/> names the site.</param>
    public static ChangeNotice Create(IpRangesDocument previous, IpRangesDocument current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        IpRangesDiff diff = previous.DiffTo(current);
        Site? site = current.Site ?? previous.Site;
        string name = site?.ToString() ?? "an unnamed site";
        string source = site?.IpRangesUri.AbsoluteUri ?? "unknown";
        return new ChangeNotice(name, source, diff, [.. diff.Sections.Where(s => s.HasAddressChanges)]);
    }

    /// <summary>The notice as indented UTF-8 JSON (see the remarks for its fields).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteString("site", Site);
            json.WriteString("source", Source);
            json.WriteNumber("oldVersion", Diff.FromVersion);
            json.WriteNumber("newVersion", Diff.ToVersion);
            json.WriteString("oldModified", Diff.FromModified);
            json.WriteString("modified", Diff.ToModified);
            json.WriteBoolean("egressAffected", AffectsEgress);
            json.WriteBoolean("ingressAffected", AffectsIngress);
            json.WriteStartArray("sections");
            foreach (IpRangesSectionDiff section in Sections)
            {
                json.WriteStartObject();
                json.WriteString("name", section.Name);
                json.WriteString("direction", DirectionOf(section).Keyword());
                WriteFamily(json, "ipv4", section.IPv4);
                WriteFamily(json, "ipv6", section.IPv6);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("text", Text);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    // As RuleSet.For decides it: the documented direction, egress for a section this library does not know.
    private static Direction DirectionOf(IpRangesSectionDiff section) => SectionTraffic.GetDirection(section.Name) ?? Direction.Egress;

    private static void WriteFamily(Utf8JsonWriter json, string name, PrefixChange change)
    {
        json.WriteStartObject(name);
        WritePrefixes(json, "added", change.Added);
        WritePrefixes(json, "removed", change.Removed);
        json.WriteEndObject();
    }

    private static void WritePrefixes(Utf8JsonWriter json, string name, IEnumerable<IPNetwork> prefixes)
    {
        json.WriteStartArray(name);
        foreach (IPNetwork prefix in prefixes)
        {
            json.WriteStringValue(prefix.ToString());
        }

        json.WriteEndArray();
    }

    private string Summarize()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Datadog IP ranges for {Site} changed from version {Diff.FromVersion} to {Diff.ToVersion}");
        if (Sections.Count == 0)
        {
            return text.Append(": no address changed; no rule affected").ToString();
        }

        text.Append(": ").AppendJoin(", ", Sections.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Name} +{s.IPv4.Added.Count + s.IPv6.Added.Count} -{s.IPv4.Removed.Count + s.IPv6.Removed.Count}")));
        text.Append(" prefixes; ");
        string[] affected = [.. new[] { (AffectsEgress, "egress"), (AffectsIngress, "ingress") }.Where(a => a.Item1).Select(a => a.Item2)];
        return text.Append(string.Join(" and ", affected)).Append(" rules affected").ToString();
    }
}
