using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>terraform-aws-network-firewall</c>: HCL for the <c>hashicorp/aws</c> provider: one
/// <c>aws_networkfirewall_rule_group</c>, a stateful domain list allowing Datadog's host names for the rules' outbound
/// sections by TLS SNI and HTTP Host (see <see cref="NetworkFirewallDomainList"/>), and its ARN as an output; the same
/// rule group as <c>aws-network-firewall</c>.
/// </summary>
/// <remarks>Strings are escaped for HCL templates (<see cref="HclString"/>); free text goes to <c>#</c> comments, one line each.</remarks>
internal sealed class NetworkFirewallTerraformEmitter(EmitterOptions options) : IRuleEmitter, IByNameEmitter
{
    /// <summary>The oldest hashicorp/aws provider this output asks for; <c>aws_networkfirewall_rule_group</c> is older.</summary>
    public const string ProviderVersion = "4.0";

    public string Format => "terraform-aws-network-firewall";

    public string Description =>
        "Terraform: an aws_networkfirewall_rule_group, a stateful domain list allowing Datadog's host names (TLS SNI, HTTP Host); output its ARN";

    public EmitterOptions Options => options;

    public int HostNames(RuleSet rules) => NetworkFirewallDomainList.Create(rules, options).Targets.Count;

    public IReadOnlyList<string> Features(RuleSet rules) => NetworkFirewallDomainList.Features(rules);

    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        var list = NetworkFirewallDomainList.Create(rules.Rules, options);
        string identifier = list.RuleGroupName.Replace('-', '_');
        if (options.Comments)
        {
            var header = new List<string> { $"Datadog Agent host names as an AWS Network Firewall domain list rule group, for Terraform (fwrules format {Format})." };
            header.AddRange(rules.Rules.Describe());
            header.Add($"Needs the hashicorp/aws provider {ProviderVersion} or later; reference the output {identifier}_arn from a firewall policy.");
            header.AddRange(list.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        HclWriter.WriteRequiredProviders(output, ProviderVersion);
        output.Write($"\nresource \"aws_networkfirewall_rule_group\" {HclString.Quote(identifier)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("capacity", list.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("name", HclString.Quote(list.RuleGroupName)),
            ("type", HclString.Quote("STATEFUL")),
            ("description", HclString.Quote(list.Description)),
        ]);
        output.Write("\n  rule_group {\n    rules_source {\n      rules_source_list {\n");
        HclWriter.WriteAttributes(output, "        ", [
            ("generated_rules_type", HclString.Quote("ALLOWLIST")),
            ("target_types", $"[{string.Join(", ", NetworkFirewallDomainList.TargetTypes.Select(HclString.Quote))}]"),
        ]);
        output.Write("        targets = [\n");
        foreach (string target in list.Targets)
        {
            output.Write($"          {HclString.Quote(target)},\n");
        }

        output.Write("        ]\n      }\n    }\n  }\n");
        HclWriter.WriteNameTag(output, list.RuleGroupName);
        output.Write("}\n");
        output.Write($"\noutput {HclString.Quote(identifier + "_arn")} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("description", HclString.Quote("The rule group's ARN, for a firewall policy's stateful_rule_group_reference.")),
            ("value", $"aws_networkfirewall_rule_group.{identifier}.arn"),
        ]);
        output.Write("}\n");
    }
}
