using FirewallRules.Emitters.Cloud;
using FirewallRules.PrivateLink;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// A PrivateLink plan as Terraform for the <c>hashicorp/aws</c> provider: the security groups of
/// <see cref="PrivateLinkPlan.EndpointVpcRules"/> (through <see cref="TerraformEmitter"/>), an <c>aws_vpc_endpoint</c> per
/// endpoint service, and for a peered VPC an <c>aws_route53_zone</c> with an alias <c>aws_route53_record</c> per private
/// DNS name.
/// </summary>
/// <remarks>
/// Variables <c>{name}_vpc_id</c> and <c>{name}_subnet_ids</c>, plus <c>{name}_peer_vpc_id</c> and
/// <c>{name}_peer_vpc_region</c> for a peered VPC, each checked by a validation block. Strings are escaped for HCL templates.
/// </remarks>
internal sealed class PrivateLinkTerraformWriter(AwsSecurityGroupOptions options)
{
    private const string SubnetPattern = "^subnet-[0-9a-f]{8}([0-9a-f]{9})?$";
    private const string VpcError = "Give a VPC id: vpc- and 8 or 17 hexadecimal digits.";

    // Writes the security groups, exactly as the plain AWS format does.
    private readonly TerraformEmitter _groupEmitter = new(options);

    public void Write(PrivateLinkPlan plan, TextWriter output)
    {
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveInterfaceEndpoints();
        AwsPlan groups = AwsPlan.Create(PreparedRules.Create(plan.EndpointVpcRules, options, AddressFamilies.Both, "terraform"), options, TerraformEmitter.MaxListEntries);
        string prefix = options.Name.Replace('-', '_');
        string vpc = TerraformEmitter.VpcVariable(options);
        string subnets = $"{prefix}_subnet_ids";
        string peerVpc = $"{prefix}_peer_vpc_id";
        string peerRegion = $"{prefix}_peer_vpc_region";
        bool peered = plan.Mode == PrivateLinkMode.PeeredVpc;
        if (options.Comments)
        {
            var header = new List<string> { PrivateLinkText.Title(plan) + " For Terraform (fwrules privatelink, format terraform)." };
            header.AddRange(groups.Rules.Describe());
            header.Add("Needs the hashicorp/aws provider" + (plan.Mode == PrivateLinkMode.CrossRegion ? " 5.83 or later (service_region)." : "."));
            header.AddRange(PrivateLinkText.Guidance(plan, endpoints, $"var.{vpc}", $"var.{subnets}", $"var.{peerVpc} in var.{peerRegion}"));
            header.AddRange(groups.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        var variables = new List<Variable>
        {
            new(vpc, "The VPC to create the Datadog PrivateLink endpoints and security groups in.", "string",
                $"can(regex({HclString.Quote(PrivateLinkCloudFormationWriter.VpcPattern)}, var.{vpc}))", VpcError),
            new(subnets, $"The subnets for the endpoints' network interfaces, one per Availability Zone, within {string.Join(", ", plan.EndpointSubnets)}.", "list(string)",
                $"length(var.{subnets}) > 0 && alltrue([for id in var.{subnets} : can(regex({HclString.Quote(SubnetPattern)}, id))])",
                "Give at least one subnet id: subnet- and 8 or 17 hexadecimal digits."),
        };
        if (peered)
        {
            variables.Add(new(peerVpc, "The peered VPC the agents run in: the private hosted zones are associated with it.", "string",
                $"can(regex({HclString.Quote(PrivateLinkCloudFormationWriter.VpcPattern)}, var.{peerVpc}))", VpcError));
            variables.Add(new(peerRegion, "The region of the peered VPC, e.g. eu-west-1.", "string",
                $"can(regex({HclString.Quote(PrivateLinkCloudFormationWriter.RegionPattern)}, var.{peerRegion}))", "Give an AWS region name such as eu-west-1."));
        }

        for (int i = 0; i < variables.Count; i++)
        {
            output.Write(i == 0 ? string.Empty : "\n");
            WriteVariable(output, variables[i]);
        }

        _groupEmitter.WriteResources(output, groups, vpc);
        string[] endpointGroups = groups.Groups.Where(g => g.Direction == Direction.Ingress).Select(g => $"aws_security_group.{g.Identifier}.id").ToArray();
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            string name = Identifier(endpoint);
            output.Write($"\nresource \"aws_vpc_endpoint\" {HclString.Quote(name)} {{\n");
            if (options.Comments)
            {
                CommentText.Write(output, "  #", [$"{string.Join(", ", endpoint.Serves.Select(s => s.Label))}: {string.Join(", ", endpoint.PrivateDnsNames)}"]);
            }

            var attributes = new List<(string Key, string Value)>
            {
                ("vpc_id", $"var.{vpc}"),
                ("service_name", HclString.Quote(endpoint.ServiceName)),
            };
            if (plan.Mode == PrivateLinkMode.CrossRegion)
            {
                attributes.Add(("service_region", HclString.Quote(plan.Region)));
            }

            attributes.AddRange([
                ("vpc_endpoint_type", HclString.Quote("Interface")),
                ("subnet_ids", $"var.{subnets}"),
                ("security_group_ids", $"[{string.Join(", ", endpointGroups)}]"),
                ("private_dns_enabled", peered ? "false" : "true"),
            ]);
            TerraformEmitter.WriteAttributes(output, "  ", attributes);
            WriteNameTag(output, $"{options.Name}-{endpoint.Key}");
            output.Write("}\n");
            if (peered)
            {
                for (int i = 0; i < endpoint.PrivateDnsNames.Count; i++)
                {
                    WriteZone(output, endpoint, i, vpc, peerVpc, peerRegion);
                }
            }
        }
    }

    private void WriteZone(TextWriter output, InterfaceEndpoint endpoint, int index, string vpc, string peerVpc, string peerRegion)
    {
        string dnsName = endpoint.PrivateDnsNames[index];
        string zone = Identifier(endpoint) + (endpoint.PrivateDnsNames.Count > 1 ? $"_{index + 1}" : string.Empty);
        output.Write($"\nresource \"aws_route53_zone\" {HclString.Quote(zone)} {{\n");
        var attributes = new List<(string Key, string Value)> { ("name", HclString.Quote(dnsName)) };
        if (options.Comments)
        {
            attributes.Add(("comment", HclString.Quote($"Datadog PrivateLink: {dnsName} to the interface endpoint for {endpoint.Key} (managed by FirewallRules)")));
        }

        TerraformEmitter.WriteAttributes(output, "  ", attributes);
        output.Write("\n  vpc {\n");
        TerraformEmitter.WriteAttributes(output, "    ", [("vpc_id", $"var.{vpc}")]);
        output.Write("  }\n\n  vpc {\n");
        TerraformEmitter.WriteAttributes(output, "    ", [("vpc_id", $"var.{peerVpc}"), ("vpc_region", $"var.{peerRegion}")]);
        output.Write("  }\n");
        WriteNameTag(output, $"{options.Name}-{endpoint.Key}");
        output.Write("}\n");

        // The endpoint's first DNS entry is its regional name.
        string entry = $"aws_vpc_endpoint.{Identifier(endpoint)}.dns_entry[0]";
        output.Write($"\nresource \"aws_route53_record\" {HclString.Quote(zone)} {{\n");
        TerraformEmitter.WriteAttributes(output, "  ", [
            ("zone_id", $"aws_route53_zone.{zone}.zone_id"),
            ("name", HclString.Quote(dnsName)),
            ("type", HclString.Quote("A")),
        ]);
        output.Write("\n  alias {\n");
        TerraformEmitter.WriteAttributes(output, "    ", [
            ("name", $"{entry}.dns_name"),
            ("zone_id", $"{entry}.hosted_zone_id"),
            ("evaluate_target_health", "false"),
        ]);
        output.Write("  }\n}\n");
    }

    private static void WriteVariable(TextWriter output, Variable variable)
    {
        output.Write($"variable {HclString.Quote(variable.Name)} {{\n");
        TerraformEmitter.WriteAttributes(output, "  ", [("description", HclString.Quote(variable.Description)), ("type", variable.Type)]);
        output.Write("\n  validation {\n");
        TerraformEmitter.WriteAttributes(output, "    ", [("condition", variable.Condition), ("error_message", HclString.Quote(variable.Error))]);
        output.Write("  }\n");

        output.Write("}\n");
    }

    private static void WriteNameTag(TextWriter output, string name)
    {
        output.Write("\n  tags = {\n");
        TerraformEmitter.WriteAttributes(output, "    ", [("Name", HclString.Quote(name))]);
        output.Write("  }\n");
    }

    private string Identifier(InterfaceEndpoint endpoint) => $"{options.Name}_{endpoint.Key}".Replace('-', '_');

    // Checked by Terraform before anything is created: the ids reach the AWS API as given.
    private sealed record Variable(string Name, string Description, string Type, string Condition, string Error);
}
