using FirewallRules.Emitters.Aws;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Gcp;

/// <summary>
/// Format <c>terraform-gcp</c>: HCL for the <c>hashicorp/google</c> provider, one <c>google_compute_firewall</c> per
/// planned rule (see <see cref="GcloudFirewallEmitter"/> for the same rules as a script), and a variable
/// <c>{name}_network</c> defaulting to <see cref="GcpFirewallOptions.Network"/>.
/// </summary>
/// <remarks>Strings are escaped for HCL templates.</remarks>
public sealed class TerraformGcpEmitter : IRuleEmitter
{
    private readonly GcpFirewallOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="GcpFirewallOptions"/> defaults when null.</param>
    public TerraformGcpEmitter(GcpFirewallOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "terraform-gcp";

    /// <inheritdoc/>
    public string Description => "Terraform: google_compute_firewall rules, one family and 256 ranges per rule, egress deny";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules would not fit GCP's names or priorities.</exception>
    public void Write(RuleSet rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        GcpFirewallPlan plan = GcpFirewallPlan.Create(rules, _options);
        string prefix = _options.Name.Replace('-', '_');
        string network = $"{prefix}_network";
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as Google Cloud VPC firewall rules, for Terraform (fwrules format terraform-gcp)." };
            header.AddRange(plan.Rules.Describe());
            header.Add($"Needs the hashicorp/google provider; var.{network} names the VPC network.");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        output.Write($"variable {HclString.Quote(network)} {{\n");
        TerraformEmitter.WriteAttributes(output, "  ", [
            ("description", HclString.Quote("The VPC network of the Datadog firewall rules.")),
            ("type", "string"),
            ("default", HclString.Quote(_options.Network)),
        ]);
        output.Write("}\n");
        foreach (GcpFirewallRule rule in plan.FirewallRules)
        {
            output.Write($"\nresource \"google_compute_firewall\" {HclString.Quote(rule.Name.Replace('-', '_'))} {{\n");
            var attributes = new List<(string Key, string Value)>
            {
                ("name", HclString.Quote(rule.Name)),
                ("network", $"var.{network}"),
                ("direction", HclString.Quote(rule.DirectionName)),
                ("priority", rule.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            if (_options.Comments)
            {
                attributes.Add(("description", HclString.Quote(rule.Description)));
            }

            attributes.Add((rule.Direction == Direction.Egress ? "destination_ranges" : "source_ranges", List(rule.Ranges)));
            if (_options.TargetTags.Count > 0)
            {
                attributes.Add(("target_tags", List(_options.TargetTags)));
            }

            if (_options.TargetServiceAccounts.Count > 0)
            {
                attributes.Add(("target_service_accounts", List(_options.TargetServiceAccounts)));
            }

            TerraformEmitter.WriteAttributes(output, "  ", attributes);
            output.Write($"\n  {rule.ActionName} {{\n");
            var block = new List<(string Key, string Value)> { ("protocol", HclString.Quote(rule.Protocol)) };
            if (rule.Ports is string ports)
            {
                block.Add(("ports", List([ports])));
            }

            TerraformEmitter.WriteAttributes(output, "    ", block);
            output.Write("  }\n}\n");
        }
    }

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(HclString.Quote)) + "]";
}
