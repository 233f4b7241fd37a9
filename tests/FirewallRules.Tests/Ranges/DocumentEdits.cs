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
}
