using System.Globalization;
using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// Planned firewall rules as <c>google_compute_firewall</c> resources: what <c>terraform-gcp</c> and the Private
/// Service Connect Terraform write.
/// </summary>
internal static class GcpFirewallHcl
{
    /// <summary>The variable naming the VPC network, defaulting to <paramref name="network"/>.</summary>
    public static void WriteNetworkVariable(TextWriter output, string variable, string network)
    {
        output.Write($"variable {HclString.Quote(variable)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("description", HclString.Quote("The VPC network of the Datadog firewall rules.")),
            ("type", "string"),
            ("default", HclString.Quote(network)),
        ]);
        output.Write("}\n");
    }

    /// <summary>One rule, after a blank line, in the network <paramref name="network"/> (an HCL expression).</summary>
    public static void WriteRule(TextWriter output, GcpFirewallRule rule, string network, GcpFirewallOptions options)
    {
        output.Write($"\nresource \"google_compute_firewall\" {HclString.Quote(rule.Name.Replace('-', '_'))} {{\n");
        var attributes = new List<(string Key, string Value)>
        {
            ("name", HclString.Quote(rule.Name)),
            ("network", network),
            ("direction", HclString.Quote(rule.DirectionName)),
            ("priority", rule.Priority.ToString(CultureInfo.InvariantCulture)),
        };
        if (options.Comments)
        {
            attributes.Add(("description", HclString.Quote(rule.Description)));
        }

        string ranges = rule.Direction == Direction.Egress ? "destination_ranges" : "source_ranges";
        var targets = new List<(string Key, string Value)>();
        if (options.TargetTags.Count > 0)
        {
            targets.Add(("target_tags", List(options.TargetTags)));
        }

        if (options.TargetServiceAccounts.Count > 0)
        {
            targets.Add(("target_service_accounts", List(options.TargetServiceAccounts)));
        }

        int width = attributes.Concat(targets).Select(a => a.Key.Length).Append(ranges.Length).Max();
        HclWriter.WriteAttributes(output, "  ", attributes, width);
        WriteRanges(output, ranges, rule.Ranges, width);
        HclWriter.WriteAttributes(output, "  ", targets, width);
        output.Write($"\n  {rule.ActionName} {{\n");
        var block = new List<(string Key, string Value)> { ("protocol", HclString.Quote(rule.Protocol)) };
        if (rule.Ports is string ports)
        {
            block.Add(("ports", List([ports])));
        }

        HclWriter.WriteAttributes(output, "    ", block);
        output.Write("  }\n}\n");
    }

    // The ranges as a list of strings, written from their numbers as they go: a prefix's text (digits, hex letters, '.',
    // ':' and '/') is a string HclString.Quote would only put in quotes.
    private static void WriteRanges(TextWriter output, string key, PrefixSet ranges, int width)
    {
        HclWriter.WriteKey(output, "  ", key, width);
        output.Write("[\"");
        ranges.WriteEach(output, string.Empty, "\", \"");
        output.Write("\"]\n");
    }

    /// <summary>An HCL list of quoted strings.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(HclString.Quote)) + "]";
}
