using FirewallRules.Emitters.Cloud;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>terraform-aws-waf</c>: HCL for the <c>hashicorp/aws</c> provider: one <c>aws_wafv2_ip_set</c> per family of the allowed
/// prefixes and an <c>aws_wafv2_rule_group</c> whose rule blocks every client in none of them (<see cref="WafIpSets"/>), its ARN an
/// output; variable <c>NAME_waf_scope</c> (<c>REGIONAL</c>, or <c>CLOUDFRONT</c> with a us-east-1 provider). The same objects as
/// <c>aws-waf</c>.
/// </summary>
/// <remarks>Strings are escaped for HCL templates (<see cref="HclString"/>); free text goes to <c>#</c> comments, one line each.</remarks>
internal sealed class WafTerraformEmitter(EmitterOptions options) : IRuleEmitter
{
    /// <summary>The oldest hashicorp/aws provider this output asks for: the WAFv2 resources came in 3.x; 4.0 is every other AWS output's floor.</summary>
    public const string ProviderVersion = "4.0";

    public string Format => "terraform-aws-waf";

    public string Description =>
        "Terraform: aws_wafv2_ip_set per family of the allowed ranges and an aws_wafv2_rule_group blocking every other client, for your web ACL";

    public EmitterOptions Options => options;

    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        var sets = WafIpSets.Create(rules.Rules, options, Format);
        string id = sets.Name.Replace('-', '_'), scope = $"var.{id}_waf_scope";
        if (options.Comments)
        {
            CommentText.Write(output, "#", [
                $"Datadog's ranges as AWS WAF IP sets and a rule group blocking every other client, for Terraform (fwrules format {Format}).",
                .. rules.Rules.Describe(), $"Needs the hashicorp/aws provider {ProviderVersion} or later; reference the output {id}_rule_group_arn.",
                .. WafIpSets.Notes]);
            output.Write('\n');
        }

        HclWriter.WriteRequiredProviders(output, ProviderVersion);
        output.Write('\n');
        HclWriter.WriteVariable(output, $"{id}_waf_scope", "REGIONAL for a load balancer or API Gateway, CLOUDFRONT (with a us-east-1 provider) for a distribution.",
            "string", ($"contains([\"REGIONAL\", \"CLOUDFRONT\"], var.{id}_waf_scope)", "Use REGIONAL or CLOUDFRONT."));
        foreach ((string version, string family, PrefixSet prefixes) in sets.Sets)
        {
            output.Write($"\nresource \"aws_wafv2_ip_set\" {HclString.Quote($"{id}_{family}")} {{\n");
            HclWriter.WriteAttributes(output, "  ", [
                ("name", HclString.Quote($"{sets.Name}-{family}")),
                ("description", HclString.Quote($"Datadog {version} ranges, from fwrules")),
                ("scope", scope),
                ("ip_address_version", HclString.Quote(version)),
            ]);
            output.Write("  addresses = [\n");
            foreach (string prefix in prefixes.Select(p => p.ToString()))
            {
                output.Write($"    {HclString.Quote(prefix)},\n");
            }

            output.Write("  ]\n");
            HclWriter.WriteNameTag(output, $"{sets.Name}-{family}");
            output.Write("}\n");
        }

        WriteRuleGroup(output, sets, id, scope);
    }

    private static void WriteRuleGroup(TextWriter output, WafIpSets sets, string id, string scope)
    {
        output.Write($"\nresource \"aws_wafv2_rule_group\" {HclString.Quote(id)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("name", HclString.Quote(sets.Name)),
            ("description", HclString.Quote("Blocks every client outside the Datadog ranges")),
            ("scope", scope),
            ("capacity", WafIpSets.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        output.Write($"\n  rule {{\n    name     = {HclString.Quote($"{sets.Name}-block-others")}\n    priority = 0\n\n    action {{\n      block {{}}\n    }}\n\n");
        output.Write("    statement {\n      not_statement {\n        statement {\n");
        if (sets.Sets.Count == 1)
        {
            WriteReference(output, "          ", id, sets.Sets[0].Family);
        }
        else
        {
            output.Write("          or_statement {\n");
            foreach ((_, string family, _) in sets.Sets)
            {
                output.Write("            statement {\n");
                WriteReference(output, "              ", id, family);
                output.Write("            }\n");
            }

            output.Write("          }\n");
        }

        output.Write("        }\n      }\n    }\n\n");
        WriteVisibility(output, "    ", $"{sets.Name}-block-others");
        output.Write("  }\n\n");
        WriteVisibility(output, "  ", sets.Name);
        HclWriter.WriteNameTag(output, sets.Name);
        output.Write("}\n");
        output.Write($"\noutput {HclString.Quote(id + "_rule_group_arn")} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("description", HclString.Quote("The rule group's ARN, for a web ACL's rule_group_reference_statement.")),
            ("value", $"aws_wafv2_rule_group.{id}.arn"),
        ]);
        output.Write("}\n");
    }

    private static void WriteReference(TextWriter output, string indent, string id, string family) =>
        output.Write($"{indent}ip_set_reference_statement {{\n{indent}  arn = aws_wafv2_ip_set.{id}_{family}.arn\n{indent}}}\n");

    private static void WriteVisibility(TextWriter output, string indent, string metric)
    {
        output.Write($"{indent}visibility_config {{\n");
        HclWriter.WriteAttributes(output, indent + "  ", [
            ("cloudwatch_metrics_enabled", "true"),
            ("metric_name", HclString.Quote(metric)),
            ("sampled_requests_enabled", "true"),
        ]);
        output.Write($"{indent}}}\n");
    }
}
