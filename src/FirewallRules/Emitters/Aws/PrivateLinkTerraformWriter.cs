using FirewallRules.Emitters.Cloud;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// A PrivateLink plan as Terraform for the <c>hashicorp/aws</c> provider: the security groups of
/// <see cref="PrivateLinkPlan.EndpointVpcRules"/> (written by <see cref="TerraformSecurityGroups"/>, as in the
/// <c>terraform</c> format), an <c>aws_vpc_endpoint</c> per endpoint service, and for a peered VPC an
/// <c>aws_route53_zone</c> with an alias <c>aws_route53_record</c> per private DNS name.
/// </summary>
/// <remarks>
/// Variables <c>{name}_vpc_id</c> and <c>{name}_subnet_ids</c>, plus <c>{name}_peer_vpc_id</c> and
/// <c>{name}_peer_vpc_region</c> for a peered VPC, each checked by a validation block. Strings are escaped for HCL templates.
/// </remarks>
internal sealed class PrivateLinkTerraformWriter(AwsSecurityGroupOptions options) : IPlanWriter<PrivateLinkPlan>
{
    // aws_vpc_endpoint's service_region, for cross-region endpoints, came with the provider's 5.83.0.
    private const string CrossRegionProviderVersion = "5.83";

    public string Format => HclWriter.TerraformFormat;

    public EmitterOptions Options => options;

    public RuleSet RulesOf(PrivateLinkPlan plan) => plan.EndpointVpcRules;

    public void Write(PrivateLinkPlan plan, PreparedRules rules, TextWriter output)
    {
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveInterfaceEndpoints();
        AwsPlan groups = AwsPlan.Create(rules, options, TerraformSecurityGroups.MaxListEntries);
        string prefix = options.Name.Replace('-', '_');
        var names = new VariableNames(TerraformSecurityGroups.VpcVariable(options), $"{prefix}_subnet_ids", $"{prefix}_peer_vpc_id", $"{prefix}_peer_vpc_region");
        if (options.Comments)
        {
            var header = new List<string> { PrivateLinkText.Title(plan) + $" For Terraform (fwrules privatelink, format {Format})." };
            header.AddRange(groups.Rules.Describe());
            header.Add($"Needs the hashicorp/aws provider {ProviderVersion(plan)} or later{(plan.Mode == PrivateLinkMode.CrossRegion ? " (service_region)" : string.Empty)}.");
            header.AddRange(PrivateLinkText.Guidance(plan, endpoints, $"var.{names.Vpc}", $"var.{names.Subnets}", $"var.{names.PeerVpc} in var.{names.PeerRegion}"));
            header.AddRange(groups.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        HclWriter.WriteRequiredProviders(output, ProviderVersion(plan));
        output.Write('\n');
        WriteVariables(output, plan, names);
        new TerraformSecurityGroups(options).WriteResources(output, groups, names.Vpc);
        string[] endpointGroups = groups.Groups.Where(g => g.Direction == Direction.Ingress).Select(g => $"aws_security_group.{g.Identifier}.id").ToArray();
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            WriteEndpoint(output, plan, endpoint, endpointGroups, names);
            if (plan.Mode == PrivateLinkMode.PeeredVpc)
            {
                for (int i = 0; i < endpoint.PrivateDnsNames.Count; i++)
                {
                    WriteZone(output, endpoint, i, names);
                }
            }
        }
    }

    private static string ProviderVersion(PrivateLinkPlan plan) =>
        plan.Mode == PrivateLinkMode.CrossRegion ? CrossRegionProviderVersion : TerraformSecurityGroups.ProviderVersion;

    // Checked by Terraform before anything is created: the ids reach the AWS API as given.
    private static void WriteVariables(TextWriter output, PrivateLinkPlan plan, VariableNames names)
    {
        TerraformSecurityGroups.WriteVpcVariable(output, names.Vpc, "The VPC to create the Datadog PrivateLink endpoints and security groups in.");
        output.Write('\n');
        HclWriter.WriteVariable(
            output, names.Subnets,
            $"The subnets for the endpoints' network interfaces, one per Availability Zone, within {string.Join(", ", plan.EndpointSubnets)}.", "list(string)",
            ($"length(var.{names.Subnets}) > 0 && alltrue([for id in var.{names.Subnets} : can(regex({HclString.Quote(AwsIdPatterns.Subnet)}, id))])",
            "Give at least one subnet id: subnet- and 8 or 17 hexadecimal digits."));
        if (plan.Mode != PrivateLinkMode.PeeredVpc)
        {
            return;
        }

        output.Write('\n');
        TerraformSecurityGroups.WriteVpcVariable(output, names.PeerVpc, "The peered VPC the agents run in: the private hosted zones are associated with it.");
        output.Write('\n');
        HclWriter.WriteVariable(output, names.PeerRegion, "The region of the peered VPC, e.g. eu-west-1.", "string",
            ($"can(regex({HclString.Quote(AwsIdPatterns.Region)}, var.{names.PeerRegion}))", "Give an AWS region name such as eu-west-1."));
    }

    private void WriteEndpoint(TextWriter output, PrivateLinkPlan plan, InterfaceEndpoint endpoint, string[] securityGroups, VariableNames names)
    {
        output.Write($"\nresource \"aws_vpc_endpoint\" {HclString.Quote(Identifier(endpoint))} {{\n");
        if (options.Comments)
        {
            CommentText.Write(output, "  #", [$"{string.Join(", ", endpoint.Serves.Select(s => s.Label))}: {string.Join(", ", endpoint.PrivateDnsNames)}"]);
        }

        var attributes = new List<(string Key, string Value)>
        {
            ("vpc_id", $"var.{names.Vpc}"),
            ("service_name", HclString.Quote(endpoint.ServiceName)),
        };
        if (plan.Mode == PrivateLinkMode.CrossRegion)
        {
            attributes.Add(("service_region", HclString.Quote(plan.Region)));
        }

        attributes.AddRange([
            ("vpc_endpoint_type", HclString.Quote("Interface")),
            ("subnet_ids", $"var.{names.Subnets}"),
            ("security_group_ids", $"[{string.Join(", ", securityGroups)}]"),
            ("private_dns_enabled", plan.Mode == PrivateLinkMode.PeeredVpc ? "false" : "true"),
        ]);
        HclWriter.WriteAttributes(output, "  ", attributes);
        HclWriter.WriteNameTag(output, $"{options.Name}-{endpoint.Key}");
        output.Write("}\n");
    }

    private void WriteZone(TextWriter output, InterfaceEndpoint endpoint, int index, VariableNames names)
    {
        string dnsName = endpoint.PrivateDnsNames[index];
        string zone = Identifier(endpoint) + (endpoint.PrivateDnsNames.Count > 1 ? $"_{index + 1}" : string.Empty);
        output.Write($"\nresource \"aws_route53_zone\" {HclString.Quote(zone)} {{\n");
        var attributes = new List<(string Key, string Value)> { ("name", HclString.Quote(dnsName)) };
        if (options.Comments)
        {
            attributes.Add(("comment", HclString.Quote($"Datadog PrivateLink: {dnsName} to the interface endpoint for {endpoint.Key} (managed by FirewallRules)")));
        }

        HclWriter.WriteAttributes(output, "  ", attributes);
        output.Write("\n  vpc {\n");
        HclWriter.WriteAttributes(output, "    ", [("vpc_id", $"var.{names.Vpc}")]);
        output.Write("  }\n\n  vpc {\n");
        HclWriter.WriteAttributes(output, "    ", [("vpc_id", $"var.{names.PeerVpc}"), ("vpc_region", $"var.{names.PeerRegion}")]);
        output.Write("  }\n");
        HclWriter.WriteNameTag(output, $"{options.Name}-{endpoint.Key}");
        output.Write("}\n");

        // The endpoint's first DNS entry is its regional name.
        string entry = $"aws_vpc_endpoint.{Identifier(endpoint)}.dns_entry[0]";
        output.Write($"\nresource \"aws_route53_record\" {HclString.Quote(zone)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("zone_id", $"aws_route53_zone.{zone}.zone_id"),
            ("name", HclString.Quote(dnsName)),
            ("type", HclString.Quote("A")),
        ]);
        output.Write("\n  alias {\n");
        HclWriter.WriteAttributes(output, "    ", [
            ("name", $"{entry}.dns_name"),
            ("zone_id", $"{entry}.hosted_zone_id"),
            ("evaluate_target_health", "false"),
        ]);
        output.Write("  }\n}\n");
    }

    private string Identifier(InterfaceEndpoint endpoint) => $"{options.Name}_{endpoint.Key}".Replace('-', '_');

    // The names of the configuration's variables.
    private sealed record VariableNames(string Vpc, string Subnets, string PeerVpc, string PeerRegion);
}
