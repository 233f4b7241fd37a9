using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace FirewallRules.Ranges;

/// <summary>
/// The text and JSON renderings of <see cref="IpRangesDiff"/>, written as they go: a diff of two 8 MiB documents
/// can list every prefix of both, and neither rendering holds more than a buffer of it.
/// </summary>
internal static class IpRangesDiffFormatter
{
    // JSON bytes held before they are handed to the destination.
    private const int FlushBytes = 64 * 1024;

    // Indented by two spaces, camelCase names, the default (strict) encoder: what the format has always been.
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, NewLine = "\n" };

    public static string ToText(IpRangesDiff diff)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        WriteText(diff, text);
        return text.ToString();
    }

    public static void WriteText(IpRangesDiff diff, TextWriter text)
    {
        text.Write(string.Create(CultureInfo.InvariantCulture, $"ip-ranges {Header(diff.FromVersion, diff.FromModified)} -> {Header(diff.ToVersion, diff.ToModified)}\n"));
        if (diff.SectionsAdded.Count > 0)
        {
            text.Write($"sections added: {string.Join(", ", diff.SectionsAdded)}\n");
        }

        if (diff.SectionsRemoved.Count > 0)
        {
            text.Write($"sections removed: {string.Join(", ", diff.SectionsRemoved)}\n");
        }

        if (!diff.HasChanges)
        {
            text.Write("no change in any section\n");
        }

        foreach (IpRangesSectionDiff section in diff.Sections)
        {
            text.Write($"{section.Name}{(section.IsAdded ? " (added)" : section.IsRemoved ? " (removed)" : string.Empty)}\n");
            WriteFamily(text, "IPv4", section.IPv4);
            WriteFamily(text, "IPv6", section.IPv6);
            foreach (LocationChange location in section.Locations)
            {
                string status = location.IsAdded ? " (added)" : location.IsRemoved ? " (removed)" : string.Empty;
                text.Write(string.Create(CultureInfo.InvariantCulture, $"  location {location.Location}{status}: +{location.Added.Count} -{location.Removed.Count} prefixes\n"));
                WritePrefixes(text, "    ", location.Added, location.Removed);
            }
        }
    }

    public static string ToJson(IpRangesDiff diff)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            WriteJson(diff, json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <see cref="ToJson"/>'s text to <paramref name="output"/>, a buffer at a time.</summary>
    public static void WriteJson(IpRangesDiff diff, Stream output)
    {
        using var json = new Utf8JsonWriter(output, JsonOptions);
        WriteJson(diff, json);
    }

    private static void WriteJson(IpRangesDiff diff, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        WriteHeader(json, "from", diff.FromVersion, diff.FromModified);
        WriteHeader(json, "to", diff.ToVersion, diff.ToModified);
        WriteNames(json, "sectionsAdded", diff.SectionsAdded);
        WriteNames(json, "sectionsRemoved", diff.SectionsRemoved);
        json.WriteStartArray("sections");
        foreach (IpRangesSectionDiff section in diff.Sections)
        {
            json.WriteStartObject();
            json.WriteString("name", section.Name);
            json.WriteString("status", Status(section.IsAdded, section.IsRemoved));
            WriteChange(json, "ipv4", section.IPv4);
            WriteChange(json, "ipv6", section.IPv6);
            json.WriteStartArray("locations");
            foreach (LocationChange location in section.Locations)
            {
                json.WriteStartObject();
                json.WriteString("location", location.Location);
                json.WriteString("status", Status(location.IsAdded, location.IsRemoved));
                WritePrefixes(json, "added", location.Added);
                WritePrefixes(json, "removed", location.Removed);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteHeader(Utf8JsonWriter json, string name, long version, string modified)
    {
        json.WriteStartObject(name);
        json.WriteNumber("version", version);
        json.WriteString("modified", modified);
        json.WriteEndObject();
    }

    private static void WriteNames(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteChange(Utf8JsonWriter json, string name, PrefixChange change)
    {
        json.WriteStartObject(name);
        WritePrefixes(json, "added", change.Added);
        WritePrefixes(json, "removed", change.Removed);
        WritePrefixes(json, "listedAdded", change.ListedAdded);
        WritePrefixes(json, "listedRemoved", change.ListedRemoved);
        json.WriteEndObject();
    }

    private static void WritePrefixes(Utf8JsonWriter json, string name, IEnumerable<IPNetwork> prefixes)
    {
        Span<char> text = stackalloc char[64];
        json.WriteStartArray(name);
        foreach (IPNetwork prefix in prefixes)
        {
            prefix.TryFormat(text, out int written);
            json.WriteStringValue(text[..written]);
            if (json.BytesPending > FlushBytes)
            {
                json.Flush();
            }
        }

        json.WriteEndArray();
    }

    private static void WriteFamily(TextWriter text, string family, PrefixChange change)
    {
        if (!change.HasListChanges && !change.HasAddressChanges)
        {
            return;
        }

        text.Write(string.Create(CultureInfo.InvariantCulture, $"  {family}: listed +{change.ListedAdded.Count} -{change.ListedRemoved.Count}; "));
        text.Write(change.HasAddressChanges
            ? string.Create(CultureInfo.InvariantCulture,
                $"aggregated +{change.Added.Count} -{change.Removed.Count} prefixes ({Sizes(change.Added, change.Removed)})\n")
            : "same addresses (the list was reshuffled)\n");
        WritePrefixes(text, "    ", change.Added, change.Removed);
    }

    private static void WritePrefixes(TextWriter text, string indent, PrefixSet added, PrefixSet removed)
    {
        foreach (IPNetwork prefix in added)
        {
            text.Write($"{indent}+ {prefix}\n");
        }

        foreach (IPNetwork prefix in removed)
        {
            text.Write($"{indent}- {prefix}\n");
        }
    }

    // Datadog changed the form of "modified" over the years (2021-12-07-10-00-00, then 2024-10-17T00:00:00): both
    // dates are printed in one form, ISO 8601 in UTC, and a text that is no date as it is.
    private static string Header(long version, string modified) =>
        modified.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"version {version}")
            : IpRangesDocument.ParseModified(modified) is DateTimeOffset date
                ? string.Create(CultureInfo.InvariantCulture, $"version {version} ({date.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})")
                : string.Create(CultureInfo.InvariantCulture, $"version {version} ({modified})");

    // One family at a time, so one of the two counts is zero. IPv4 in addresses; IPv6 in /64 networks (IPv6Size).
    private static string Sizes(PrefixSet added, PrefixSet removed)
    {
        if (added.IPv6AddressCount == 0 && removed.IPv6AddressCount == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"+{added.IPv4AddressCount} -{removed.IPv4AddressCount} addresses");
        }

        return IPv6Size.Slash64s(added.IPv6AddressCount) is { } plus && IPv6Size.Slash64s(removed.IPv6AddressCount) is { } minus
            ? string.Create(CultureInfo.InvariantCulture, $"+{plus} -{minus} /64 networks")
            : $"+{IPv6Size.Power(added.IPv6AddressCount)} -{IPv6Size.Power(removed.IPv6AddressCount)} addresses";
    }

    private static string Status(bool added, bool removed) => added ? "added" : removed ? "removed" : "changed";
}
