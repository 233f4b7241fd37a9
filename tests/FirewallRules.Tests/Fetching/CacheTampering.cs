using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Fetching;

/// <summary>What an attacker who can write the cache does: edit a vetted copy in place, or plant a version beside them.</summary>
internal static class CacheTampering
{
    /// <summary>The prefix the edits add to <c>agents</c>: public, and in no Datadog document.</summary>
    public const string Planted = "8.8.8.0/24";

    /// <summary>Adds <see cref="Planted"/> to the <c>agents</c> section of the document at <paramref name="path"/>, rewriting the same file.</summary>
    public static void EditInPlace(string path) => File.WriteAllBytes(path, WithPlanted(File.ReadAllBytes(path), version: null));

    /// <summary>Real document <paramref name="from"/> claiming <paramref name="version"/>, with <see cref="Planted"/> added to <c>agents</c>.</summary>
    public static byte[] Forged(int from, long version) => WithPlanted(File.ReadAllBytes(FetchTesting.Document(from)), version);

    private static byte[] WithPlanted(byte[] document, long? version)
    {
        JsonObject root = JsonNode.Parse(document)!.AsObject();
        root["agents"]!["prefixes_ipv4"]!.AsArray().Add(Planted);
        if (version is long claimed)
        {
            root["version"] = claimed;
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
