using System.Globalization;
using System.Text.Json.Nodes;

namespace FirewallRules.Tests.Invariant.Cloud;

/// <summary>
/// Google Cloud firewall rules as the two GCP formats state them: the <c>gcloud compute firewall-rules create</c> calls bash made
/// (every flag, <c>--rules</c> as gcloud reads it: <c>PROTOCOL[:PORT[-PORT]]</c>, comma-separated), and the
/// <c>google_compute_firewall</c> resources HashiCorp's parser read (every <c>allow</c> and <c>deny</c> block, every port).
/// </summary>
internal static class GcpReadBack
{
    private static readonly string[] Modelled =
        ["name", "network", "direction", "priority", "description", "destination_ranges", "source_ranges", "target_tags", "allow", "deny", "disabled"];

    public static IReadOnlyList<GcpRule> FromGcloud(IReadOnlyList<string[]> calls)
    {
        string[][] unexpected = [.. calls.Where(c => !c.Take(3).SequenceEqual(["compute", "firewall-rules", "create"])
            && !c.Take(3).SequenceEqual(["compute", "firewall-rules", "describe"]) && !c.Take(3).SequenceEqual(["compute", "firewall-rules", "list"]))];
        Assert.That(unexpected.Select(c => string.Join(' ', c)), Is.Empty, "a fresh project: only creates");
        return [.. calls.Where(c => c.Take(3).SequenceEqual(["compute", "firewall-rules", "create"])).Select(Create)];
    }

    public static IReadOnlyList<GcpRule> FromTerraform(JsonObject hcl)
    {
        if (hcl["resource"]?["google_compute_firewall"] is not JsonObject firewalls)
        {
            return [];
        }

        return [.. firewalls.Select(f => Resource(f.Value![0]!.AsObject()))];
    }

    private static GcpRule Create(string[] call)
    {
        var flags = new Dictionary<string, string>();
        foreach (string argument in call[4..].Where(a => a != "--quiet"))
        {
            string[] pair = argument.Split('=', 2);
            flags.Add(pair[0], pair.Length == 2 ? pair[1] : "true");
        }

        string direction = flags["--direction"];
        string? ranges = flags.GetValueOrDefault(direction == "EGRESS" ? "--destination-ranges" : "--source-ranges");
        string[] action = flags.ContainsKey("--allow") ? throw new FormatException("--allow is not modelled") : [flags["--action"]];
        var blocks = flags["--rules"].Split(',').Select(item => item.Split(':', 2))
            .Select(p => (p[0], (IReadOnlyList<string>)(p.Length == 2 ? [p[1]] : []))).ToList();
        string local = direction == "EGRESS" ? "--source-ranges" : "--destination-ranges";
        foreach (string other in flags.Keys.Except(
            ["--direction", "--network", "--priority", "--action", "--rules", "--destination-ranges", "--source-ranges", "--target-tags", "--description"])
            .Append(flags.ContainsKey(local) ? local : null).OfType<string>())
        {
            throw new FormatException($"{call[3]}: {other} is not modelled");
        }

        return new GcpRule(call[3], direction, int.Parse(flags.GetValueOrDefault("--priority", "1000"), CultureInfo.InvariantCulture), action[0] == "ALLOW",
            blocks, ranges?.Split(','), flags.GetValueOrDefault("--target-tags")?.Split(','));
    }

    private static GcpRule Resource(JsonObject body)
    {
        string direction = body["direction"]?.GetValue<string>() ?? "INGRESS";
        string local = direction == "EGRESS" ? "source_ranges" : "destination_ranges";
        foreach (string other in body.Select(p => p.Key).Except(Modelled).Append(body[local] is null ? null : local).OfType<string>())
        {
            throw new FormatException($"{body["name"]}: {other} is not modelled");
        }

        bool allow = body["allow"] is not null;
        if (allow == (body["deny"] is not null))
        {
            throw new FormatException($"{body["name"]}: one of allow and deny");
        }

        var blocks = body[allow ? "allow" : "deny"]!.AsArray().Select(b => (
            b!["protocol"]!.GetValue<string>(),
            (IReadOnlyList<string>)[.. (b["ports"] as JsonArray ?? []).Select(p => p!.GetValue<string>())])).ToList();
        JsonArray? ranges = body[direction == "EGRESS" ? "destination_ranges" : "source_ranges"] as JsonArray;
        return new GcpRule(body["name"]!.GetValue<string>(), direction, body["priority"]?.GetValue<int>() ?? 1000, allow, blocks,
            ranges?.Select(r => r!.GetValue<string>()).ToArray(), (body["target_tags"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToArray(),
            body["disabled"]?.GetValue<bool>() ?? false);
    }
}
