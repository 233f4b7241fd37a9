using System.Text.Json;

namespace FirewallRules.Benchmarks.Data;

/// <summary>The real documents in the repository's data/ folder (see data/PROVENANCE.md), as prefix strings.</summary>
internal static class Corpora
{
    private static readonly Lazy<string> DataRoot = new(FindDataRoot);

    /// <summary>AWS ip-ranges.json: <c>prefixes[].ip_prefix</c> and <c>ipv6_prefixes[].ipv6_prefix</c>.</summary>
    public static IEnumerable<string> Aws()
    {
        using JsonDocument json = Open("corpus", "aws-ip-ranges-2026-08-22.json");
        var prefixes = new List<string>();
        foreach (JsonElement entry in json.RootElement.GetProperty("prefixes").EnumerateArray())
        {
            prefixes.Add(entry.GetProperty("ip_prefix").GetString()!);
        }

        foreach (JsonElement entry in json.RootElement.GetProperty("ipv6_prefixes").EnumerateArray())
        {
            prefixes.Add(entry.GetProperty("ipv6_prefix").GetString()!);
        }

        return prefixes;
    }

    /// <summary>Azure Service Tags: <c>values[].properties.addressPrefixes[]</c>.</summary>
    public static IEnumerable<string> Azure()
    {
        using JsonDocument json = Open("corpus", "azure-ServiceTags_Public_20221212.json");
        var prefixes = new List<string>();
        foreach (JsonElement value in json.RootElement.GetProperty("values").EnumerateArray())
        {
            foreach (JsonElement prefix in value.GetProperty("properties").GetProperty("addressPrefixes").EnumerateArray())
            {
                prefixes.Add(prefix.GetString()!);
            }
        }

        return prefixes;
    }

    /// <summary>Every listed prefix of every section of every Datadog document, read by the library itself.</summary>
    public static IEnumerable<string> Datadog() =>
        DatadogDocuments()
            .SelectMany(document => document.SectionList)
            .SelectMany(section => section.ListedIPv4.Concat(section.ListedIPv6))
            .Select(prefix => prefix.ToString());

    public static IEnumerable<IpRangesDocument> DatadogDocuments() =>
        Directory.GetFiles(Path.Combine(DataRoot.Value, "ip-ranges"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => IpRangesDocument.Load(path));

    public static IEnumerable<string> Prefixes(InputSet input) => input switch
    {
        InputSet.Aws => Aws(),
        InputSet.Azure => Azure(),
        InputSet.Datadog => Datadog(),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "not a corpus"),
    };

    private static JsonDocument Open(params string[] parts) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine([DataRoot.Value, .. parts])));

    // BenchmarkDotNet runs each benchmark from a generated project below bin/, so search upwards.
    private static string FindDataRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "data");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No data/corpus folder above {AppContext.BaseDirectory}.");
    }
}
