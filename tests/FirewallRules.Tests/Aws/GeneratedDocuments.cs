using System.Net;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Aws;

/// <summary>ip-ranges documents made from the newest real one, with the logs section's IPv4 prefixes replaced: sizes the real data never reaches.</summary>
internal static class GeneratedDocuments
{
    /// <summary>The <paramref name="index"/>th of a run of /32s two addresses apart in 20.0.0.0/8 (public, and never merged by collapsing).</summary>
    public static IPNetwork Prefix(int index) => new(new IPAddress([20, (byte)(index >> 15), (byte)(index >> 7), (byte)((index & 0x7f) << 1)]), 32);

    /// <summary>Writes a document of <paramref name="version"/> whose logs IPv4 prefixes are those numbered <paramref name="from"/> to <paramref name="to"/> (exclusive).</summary>
    public static string Write(string directory, long version, int from, int to)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(TestData.IpRangesDocuments[^1]))!;
        document["version"] = version;
        document["logs"]!["prefixes_ipv4"] = new JsonArray([.. Enumerable.Range(from, to - from).Select(i => JsonValue.Create(Prefix(i).ToString()))]);
        string path = Path.Combine(directory, $"generated-v{version}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    /// <summary>The <paramref name="index"/>th of a run of /48s two apart in 2600:1f18::/32 (public, and never merged by collapsing).</summary>
    public static IPNetwork Prefix6(int index) =>
        new(new IPAddress([0x26, 0x00, 0x1f, 0x18, (byte)(index >> 7), (byte)((index & 0x7f) << 1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 48);

    /// <summary>
    /// Writes a document of <paramref name="version"/> whose logs section holds the IPv4 prefixes <paramref name="v4"/> and the IPv6
    /// prefixes <paramref name="v6"/> (numbered windows, end exclusive), named with <paramref name="tag"/> so that campaigns' lanes keep apart.
    /// </summary>
    public static string Write(string directory, string tag, long version, (int From, int To) v4, (int From, int To) v6)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(TestData.IpRangesDocuments[^1]))!;
        document["version"] = version;
        document["logs"]!["prefixes_ipv4"] = new JsonArray([.. Enumerable.Range(v4.From, v4.To - v4.From).Select(i => JsonValue.Create(Prefix(i).ToString()))]);
        document["logs"]!["prefixes_ipv6"] = new JsonArray([.. Enumerable.Range(v6.From, v6.To - v6.From).Select(i => JsonValue.Create(Prefix6(i).ToString()))]);
        string path = Path.Combine(directory, $"generated-{tag}-v{version}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    /// <summary>The logs IPv4 prefixes <paramref name="from"/> to <paramref name="to"/>, collapsed.</summary>
    public static PrefixSet Range(int from, int to) => PrefixSet.Create(Enumerable.Range(from, to - from).Select(Prefix));
}
