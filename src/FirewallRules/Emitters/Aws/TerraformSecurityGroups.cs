using System.Net;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// An <see cref="AwsPlan"/> as Terraform resources for the <c>hashicorp/aws</c> provider: <c>aws_security_group</c>
/// resources without inline rules, one <c>aws_vpc_security_group_egress_rule</c> or <c>_ingress_rule</c> per (port,
/// CIDR) through <c>for_each</c> or per prefix list reference, and the <c>aws_ec2_managed_prefix_list</c> resources.
/// Written by the <c>terraform</c> format and the PrivateLink configuration.
/// </summary>
/// <param name="options">Names and comments.</param>
internal sealed class TerraformSecurityGroups(AwsSecurityGroupOptions options)
{
    /// <summary>The most entries a prefix list may have (AWS's limit; Terraform adds none).</summary>
    public const int MaxListEntries = 1000;

    /// <summary>
    /// The oldest hashicorp/aws provider with every resource written here: <c>aws_vpc_security_group_egress_rule</c>
    /// and <c>_ingress_rule</c> came in 4.56.0.
    /// </summary>
    public const string ProviderVersion = "4.56";

    /// <summary>The variable holding the VPC id, named after the options' name: <c>datadog_vpc_id</c>.</summary>
    public static string VpcVariable(EmitterOptions options) => options.Name.Replace('-', '_') + "_vpc_id";

    /// <summary>Writes a variable for a VPC id that Terraform checks before anything is created: the id reaches the AWS API as given.</summary>
    public static void WriteVpcVariable(TextWriter output, string name, string description) =>
        HclWriter.WriteVariable(output, name, description, "string", ($"can(regex({HclString.Quote(AwsIdPatterns.Vpc)}, var.{name}))", AwsIdPatterns.VpcError));

    /// <summary>The plan's prefix lists, security groups and rules, each resource after a blank line; groups are in <c>var.{vpcVariable}</c>.</summary>
    public void WriteResources(TextWriter output, AwsPlan plan, string vpcVariable)
    {
        foreach (AwsPrefixList list in plan.PrefixLists)
        {
            WritePrefixList(output, list);
        }

        foreach (AwsSecurityGroup group in plan.Groups)
        {
            output.Write($"\nresource \"aws_security_group\" {HclString.Quote(group.Identifier)} {{\n");
            if (options.Comments)
            {
                CommentText.Write(output, "  #", [group.Summary]);
            }

            HclWriter.WriteAttributes(output, "  ", [
                ("name", HclString.Quote(group.Name)),
                ("description", HclString.Quote(group.Description)),
                ("vpc_id", $"var.{vpcVariable}"),
            ]);
            HclWriter.WriteNameTag(output, group.Name);
            output.Write("}\n");
            foreach (AwsPermission permission in group.Permissions)
            {
                WriteRules(output, group, permission);
            }
        }
    }

    private void WriteRules(TextWriter output, AwsSecurityGroup group, AwsPermission permission)
    {
        string type = group.Direction == Direction.Egress ? "aws_vpc_security_group_egress_rule" : "aws_vpc_security_group_ingress_rule";
        PortRange port = permission.Rule.Port;
        string ports = port.IsSinglePort ? $"{port.First}" : $"{port.First}_{port.Last}";
        foreach ((AddressFamilies family, IReadOnlyList<IPNetwork> cidrs) in new[] { (AddressFamilies.IPv4, permission.IPv4), (AddressFamilies.IPv6, permission.IPv6) })
        {
            if (cidrs.Count == 0)
            {
                continue;
            }

            // One rule per CIDR, keyed by the CIDR so that a change to the list adds or removes only those rules.
            output.Write($"\nresource {HclString.Quote(type)} {HclString.Quote($"{group.Identifier}_{permission.Protocol}_{ports}_{family.Keyword()}")} {{\n");
            output.Write("  for_each = toset([\n");
            foreach (IPNetwork cidr in cidrs)
            {
                output.Write($"    {HclString.Quote(cidr.ToString())},\n");
            }

            output.Write("  ])\n\n");
            HclWriter.WriteAttributes(output, "  ", RuleAttributes(group, permission, family == AddressFamilies.IPv4 ? "cidr_ipv4" : "cidr_ipv6", "each.value"));
            output.Write("}\n");
        }

        foreach (AwsPrefixList list in permission.PrefixLists)
        {
            output.Write($"\nresource {HclString.Quote(type)} {HclString.Quote($"{group.Identifier}_{permission.Protocol}_{ports}_{ListIdentifier(list)}")} {{\n");
            HclWriter.WriteAttributes(output, "  ", RuleAttributes(group, permission, "prefix_list_id", $"aws_ec2_managed_prefix_list.{ListIdentifier(list)}.id"));
            output.Write("}\n");
        }
    }

    private List<(string Key, string Value)> RuleAttributes(AwsSecurityGroup group, AwsPermission permission, string targetKey, string target)
    {
        var attributes = new List<(string Key, string Value)> { ("security_group_id", $"aws_security_group.{group.Identifier}.id") };
        if (options.Comments)
        {
            attributes.Add(("description", HclString.Quote(permission.Description)));
        }

        attributes.AddRange([
            ("ip_protocol", HclString.Quote(permission.Protocol)),
            ("from_port", $"{permission.Rule.Port.First}"),
            ("to_port", $"{permission.Rule.Port.Last}"),
            (targetKey, target),
        ]);
        return attributes;
    }

    private void WritePrefixList(TextWriter output, AwsPrefixList list)
    {
        output.Write($"\nresource \"aws_ec2_managed_prefix_list\" {HclString.Quote(ListIdentifier(list))} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("name", HclString.Quote(list.Name)),
            ("address_family", HclString.Quote(list.Family.Label())),
            ("max_entries", $"{list.MaxEntries}"),
        ]);
        foreach (IPNetwork entry in list.Entries)
        {
            output.Write("\n  entry {\n");
            var attributes = new List<(string Key, string Value)> { ("cidr", HclString.Quote(entry.ToString())) };
            if (options.Comments)
            {
                attributes.Add(("description", HclString.Quote(list.Description)));
            }

            HclWriter.WriteAttributes(output, "    ", attributes);
            output.Write("  }\n");
        }

        output.Write("}\n");
    }

    private static string ListIdentifier(AwsPrefixList list) => list.Name.Replace('-', '_');
}
