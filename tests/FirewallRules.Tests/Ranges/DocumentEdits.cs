using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Ranges;

/// <summary>Real documents with a deliberate change (a section emptied or dropped, a version lowered), for the cases no real document shows.</summary>
internal static class DocumentEdits
{
    public static byte[] Edit(int version, Action<JsonObject> edit)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllBytes(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json")))!.AsObject();
        edit(root);
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>The document with one section's prefixes removed (the section itself stays), as a new version.</summary>
    public static byte[] WithSectionEmptied(int version, string section, int newVersion) => Edit(version, root =>
    {
        root["version"] = newVersion;
        root[section]!["prefixes_ipv4"] = new JsonArray();
        root[section]!["prefixes_ipv6"] = new JsonArray();
    });

    /// <summary>
    /// The document with <paramref name="count"/> public IPv4 /8s (from 11.0.0.0/8 up, none of them loopback, CGNAT,
    /// link-local, private, documentation space or Azure's 168.63.129.16) added to one section, as a new version: a hostile or broken growth.
    /// </summary>
    public static byte[] WithPublicSlash8sAdded(int version, string section, int count, int newVersion) => Edit(version, root =>
    {
        int[] notPublic = [100, 127, 168, 169, 172, 192, 198, 203];
        root["version"] = newVersion;
        JsonArray list = root[section]!["prefixes_ipv4"]!.AsArray();
        foreach (int octet in Enumerable.Range(11, 213).Except(notPublic).Take(count))
        {
            list.Add($"{octet}.0.0.0/8");
        }
    });
}
