using System.Globalization;
using System.Text;
using System.Text.Json;
using FirewallRules.AgentConfig;
using FirewallRules.IO;
using FirewallRules.Ranges;

namespace FirewallRules.Cli.Commands;

/// <summary>An <see cref="AgentPlan"/> as the table people read and the JSON tools read.</summary>
internal static class AgentPlanText
{
    private static readonly string[] ListenerHeadings = ["LISTENER", "PORT", "BIND", "REACHABLE FROM"];

    public static string Table(AgentPlan plan, IpRangesDocument? document)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Agent {plan.AgentVersion} sending to {plan.Site}{(plan.IsKubernetes ? ", in Kubernetes" : string.Empty)}\n\n");
        var rows = new List<string[]> { document is null ? ["FEATURE", "HOST", "PORT", "COVERED BY"] : ["FEATURE", "HOST", "PORT", "COVERED BY", "PREFIXES"] };
        rows.AddRange(plan.Destinations.Select(d => Safe(document is null
            ? [d.Feature, d.HostName, Port(d), AgentCoverageText.Of(plan, d)]
            : [d.Feature, d.HostName, Port(d), AgentCoverageText.Of(plan, d), Prefixes(plan, d, document)])));
        TextTable.Append(text, rows);
        text.Append('\n');
        var listeners = new List<string[]> { ListenerHeadings };
        listeners.AddRange(plan.Listeners.Select(l => Safe([l.Feature, l.Port.ToString(), l.BindAddress, l.IsLocalOnly ? "this host only" : "other hosts too"])));
        TextTable.Append(text, listeners);
        foreach (AgentNote note in plan.Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nnote: {TerminalText.EscapeWhole(note.Text)}");
        }

        return plan.Notes.Count > 0 ? text.Append('\n').ToString() : text.ToString();
    }

    // Plain HTTP is marked: a host reached on one port both over TLS and over plain HTTP is two rows, which a proxy allows differently.
    // The proxy's own row is reached as its URL says; what it carries is marked on the rows it carries.
    private static string Port(AgentDestination d) => d.Scheme == "http" && d.Coverage != DestinationCoverage.Proxy ? $"{d.Port} (plain HTTP)" : d.Port.ToString();

    // Values from a configuration (a host, a bind address) pass through the same terminal-safe text as a document's.
    private static string[] Safe(string[] cells) => [.. cells.Select(TerminalText.EscapeWhole)];

    public static string Json(AgentPlan plan, IpRangesDocument? document)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("site", plan.Site.Name);
            json.WriteString("domain", plan.Site.Domain);
            json.WriteString("agentVersion", plan.AgentVersion);
            json.WriteBoolean("inKubernetes", plan.IsKubernetes);
            json.WriteStartArray("sections");
            plan.Sections.ToList().ForEach(s => json.WriteStringValue(Sections.GetName(s)));
            json.WriteEndArray();
            json.WriteStartArray("destinations");
            foreach (AgentDestination d in plan.Destinations)
            {
                WriteDestination(json, plan, d, document);
            }

            json.WriteEndArray();
            json.WriteStartArray("listeners");
            foreach (AgentListener l in plan.Listeners)
            {
                json.WriteStartObject();
                json.WriteString("feature", l.Feature);
                json.WriteNumber("port", l.Port.First);
                json.WriteString("protocol", l.Port.Protocol.ToString().ToLowerInvariant());
                json.WriteString("bind", l.BindAddress);
                json.WriteBoolean("localOnly", l.IsLocalOnly);
                json.WriteString("purpose", l.Purpose);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("notes");
            plan.Notes.ToList().ForEach(note => json.WriteStringValue(note.Text));
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteDestination(Utf8JsonWriter json, AgentPlan plan, AgentDestination d, IpRangesDocument? document)
    {
        json.WriteStartObject();
        json.WriteString("feature", d.Feature);
        json.WriteString("host", d.HostName);
        json.WriteNumber("port", d.Port.First);
        json.WriteString("protocol", d.Port.Protocol.ToString().ToLowerInvariant());
        // https or http for what the agent's HTTP client sends (which picks its proxy); tcp or udp for a raw connection.
        json.WriteString("scheme", d.Scheme ?? d.Port.Protocol.ToString().ToLowerInvariant());
        json.WriteString("coverage", JsonNamingPolicy.KebabCaseLower.ConvertName(d.Coverage.ToString()));
        if (d.Section is Section section)
        {
            json.WriteString("section", Sections.GetName(section));
            json.WriteString("sectionSite", d.Site!.Name);
        }

        json.WriteString("purpose", d.Purpose);
        if (document is not null && d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site
            && document.TryGetSection(d.Section!.Value, out IpRangesSection? found))
        {
            json.WriteStartArray("prefixes");
            found.Prefixes.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static string Prefixes(AgentPlan plan, AgentDestination d, IpRangesDocument document) =>
        d.Coverage == DestinationCoverage.PublishedRanges && d.Site == plan.Site
            ? document.TryGetSection(d.Section!.Value, out IpRangesSection? found)
                ? string.Join(' ', found.Prefixes.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                : $"(no '{Sections.GetName(d.Section.Value)}' section in version {document.Version})"
            : "-";
}
