using System.Net;
using FirewallRules.Emitters.Cloud;
using FirewallRules.Rules;

namespace FirewallRules.Emitters.Aws;

/// <summary>
/// Format <c>terraform</c>: HCL for the <c>hashicorp/aws</c> provider: <c>aws_security_group</c> resources, and one
/// <c>aws_vpc_security_group_egress_rule</c> or <c>_ingress_rule</c> per (port, CIDR) through <c>for_each</c>, or
/// per prefix list reference with <c>aws_ec2_managed_prefix_list</c> resources.
/// </summary>
/// <remarks>
/// <para>Terraform removes the allow-all outbound rule AWS adds to every new group, so an egress group allows
/// exactly its rules (ingress groups then allow no outbound connections of their own; replies to allowed inbound
/// traffic still flow, as security groups are stateful). Groups carry no inline rules, as the provider requires
/// when separate rule resources are used.</para>
/// <para>The module takes one variable, <c>{name}_vpc_id</c>. Strings are escaped for HCL templates.</para>
/// </remarks>
public sealed class TerraformEmitter : IRuleEmitter
{
    /// <summary>The most entries a prefix list may have (AWS's limit; Terraform adds none).</summary>
    internal const int MaxListEntries = 1000;

    private readonly AwsSecurityGroupOptions _options;

    /// <summary>Creates the emitter.</summary>
    /// <param name="options">The options; <see cref="AwsSecurityGroupOptions"/> defaults when null.</param>
    public TerraformEmitter(AwsSecurityGroupOptions? options = null) => _options = options ?? new();

    /// <inheritdoc/>
    public string Format => "terraform";

    /// <inheritdoc/>
    public EmitterOptions Options => _options;

    /// <inheritdoc/>
    public string Description => "Terraform: security groups, one aws_vpc_security_group_*_rule per CIDR (or prefix lists)";

    /// <inheritdoc/>
    /// <exception cref="RuleGenerationException">The rules cannot be rendered (see the plan's limits).</exception>
    public void Write(PreparedRules rules, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(output);
        AwsPlan plan = AwsPlan.Create(rules, _options, MaxListEntries);
        string vpcVariable = VpcVariable(_options);
        if (_options.Comments)
        {
            var header = new List<string> { "Datadog IP ranges as AWS security groups, for Terraform (fwrules format terraform)." };
            header.AddRange(plan.Rules.Describe());
            header.Add($"Needs the hashicorp/aws provider with aws_vpc_security_group_egress_rule; set var.{vpcVariable}.");
            header.Add("Terraform removes AWS's default allow-all outbound rule from these groups: they allow only the rules below.");
            header.AddRange(plan.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        output.Write($"variable {HclString.Quote(vpcVariable)} {{\n");
        WriteAttributes(output, "  ", [("description", HclString.Quote("The VPC to create the Datadog security groups in.")), ("type", "string")]);
        output.Write("}\n");
        WriteResources(output, plan, vpcVariable);
    }

    /// <summary>The variable holding the VPC id, named after the options' name: <c>datadog_vpc_id</c>.</summary>
    internal static string VpcVariable(EmitterOptions options) => options.Name.Replace('-', '_') + "_vpc_id";

    /// <summary>The plan's prefix lists, security groups and rules, each resource after a blank line; groups are in <c>var.{vpcVariable}</c>.</summary>
    internal void WriteResources(TextWriter output, AwsPlan plan, string vpcVariable)
    {
        foreach (AwsPrefixList list in plan.PrefixLists)
        {
            WritePrefixList(output, list);
        }

        foreach (AwsSecurityGroup group in plan.Groups)
        {
            output.Write($"\nresource \"aws_security_group\" {HclString.Quote(group.Identifier)} {{\n");
            if (_options.Comments)
            {
                CommentText.Write(output, "  #", [group.Summary]);
            }

            WriteAttributes(output, "  ", [
                ("name", HclString.Quote(group.Name)),
                ("description", HclString.Quote(group.Description)),
                ("vpc_id", $"var.{vpcVariable}"),
            ]);
            output.Write("\n  tags = {\n");
            WriteAttributes(output, "    ", [("Name", HclString.Quote(group.Name))]);
            output.Write("  }\n}\n");
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
            WriteAttributes(output, "  ", RuleAttributes(group, permission, family == AddressFamilies.IPv4 ? "cidr_ipv4" : "cidr_ipv6", "each.value"));
            output.Write("}\n");
        }

        foreach (AwsPrefixList list in permission.PrefixLists)
        {
            output.Write($"\nresource {HclString.Quote(type)} {HclString.Quote($"{group.Identifier}_{permission.Protocol}_{ports}_{ListIdentifier(list)}")} {{\n");
            WriteAttributes(output, "  ", RuleAttributes(group, permission, "prefix_list_id", $"aws_ec2_managed_prefix_list.{ListIdentifier(list)}.id"));
            output.Write("}\n");
        }
    }

    private List<(string Key, string Value)> RuleAttributes(AwsSecurityGroup group, AwsPermission permission, string targetKey, string target)
    {
        var attributes = new List<(string Key, string Value)> { ("security_group_id", $"aws_security_group.{group.Identifier}.id") };
        if (_options.Comments)
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
        WriteAttributes(output, "  ", [
            ("name", HclString.Quote(list.Name)),
            ("address_family", HclString.Quote(list.Family.Label())),
            ("max_entries", $"{list.MaxEntries}"),
        ]);
        foreach (IPNetwork entry in list.Entries)
        {
            output.Write("\n  entry {\n");
            var attributes = new List<(string Key, string Value)> { ("cidr", HclString.Quote(entry.ToString())) };
            if (_options.Comments)
            {
                attributes.Add(("description", HclString.Quote(list.Description)));
            }

            WriteAttributes(output, "    ", attributes);
            output.Write("  }\n");
        }

        output.Write("}\n");
    }

    private static string ListIdentifier(AwsPrefixList list) => list.Name.Replace('-', '_');

    /// <summary>Writes attributes aligned on '=' as terraform fmt writes them, so formatting the output changes nothing.</summary>
    internal static void WriteAttributes(TextWriter output, string indent, IReadOnlyList<(string Key, string Value)> attributes)
    {
        int width = attributes.Max(a => a.Key.Length);
        foreach ((string key, string value) in attributes)
        {
            output.Write($"{indent}{key.PadRight(width)} = {value}\n");
        }
    }
}
