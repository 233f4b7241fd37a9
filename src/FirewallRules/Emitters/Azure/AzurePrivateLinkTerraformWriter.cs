using System.Globalization;
using System.Text;
using FirewallRules.Emitters.Cloud;
using FirewallRules.PrivateLink;

namespace FirewallRules.Emitters.Azure;

/// <summary>
/// An Azure Private Link plan as Terraform for the <c>hashicorp/azurerm</c> provider, as Datadog's guide lays it out: per
/// Private Link service alias an <c>azurerm_private_endpoint</c> with a manual connection (Datadog approves it), per
/// private DNS name an <c>azurerm_private_dns_zone</c> linked to your virtual network with its
/// <c>azurerm_private_dns_a_record</c>s to the endpoint's address, and the endpoints' <c>azurerm_network_security_group</c>.
/// </summary>
/// <remarks>
/// Variables <c>{name}_resource_group_name</c>, <c>{name}_location</c>, <c>{name}_subnet_id</c>,
/// <c>{name}_virtual_network_id</c> and <c>{name}_request_message</c>. Strings are escaped for HCL templates.
/// </remarks>
internal sealed class AzurePrivateLinkTerraformWriter(AzureNsgOptions options) : IPlanWriter<AzurePrivateLinkPlan>
{
    public string Format => HclWriter.TerraformFormat;

    public EmitterOptions Options => options;

    public RuleSet RulesOf(AzurePrivateLinkPlan plan) => plan.Rules;

    public void Write(AzurePrivateLinkPlan plan, PreparedRules rules, TextWriter output)
    {
        NsgPlan nsg = NsgPlan.Create(rules, options);
        IReadOnlyList<InterfaceEndpoint> endpoints = plan.ResolveEndpoints();
        IReadOnlyList<PrivateZone> zones = plan.Zones();
        string prefix = options.Name.Replace('-', '_');
        string group = $"var.{prefix}_resource_group_name";
        string location = $"var.{prefix}_location";
        if (options.Comments)
        {
            var header = new List<string> { AzurePrivateLinkText.Title(plan, $"Terraform (fwrules privatelink, format {Format})") };
            header.AddRange(nsg.Rules.Describe());
            header.Add("Needs the hashicorp/azurerm provider.");
            header.AddRange(AzurePrivateLinkText.Guidance(plan, endpoints, $"var.{prefix}_subnet_id"));
            header.AddRange(nsg.Notes);
            CommentText.Write(output, "#", header);
            output.Write('\n');
        }

        WriteVariables(output, prefix, plan);
        foreach (InterfaceEndpoint endpoint in endpoints)
        {
            output.Write($"\nresource \"azurerm_private_endpoint\" {HclString.Quote(Identifier(endpoint.Key))} {{\n");
            HclWriter.WriteAttributes(output, "  ", [
                ("name", HclString.Quote(AzurePrivateLinkText.EndpointName(options, endpoint))),
                ("resource_group_name", group),
                ("location", location),
                ("subnet_id", $"var.{prefix}_subnet_id"),
            ]);
            output.Write("\n  private_service_connection {\n");
            HclWriter.WriteAttributes(output, "    ", [
                ("name", HclString.Quote(AzurePrivateLinkText.EndpointName(options, endpoint))),
                ("private_connection_resource_alias", HclString.Quote(endpoint.ServiceName)),
                ("is_manual_connection", "true"),
                ("request_message", $"var.{prefix}_request_message"),
            ]);
            output.Write("  }\n}\n");
        }

        foreach (PrivateZone zone in zones)
        {
            WriteZone(output, zone, prefix, group);
        }

        WriteNetworkSecurityGroup(output, nsg, prefix, group, location);
    }

    private static void WriteVariables(TextWriter output, string prefix, AzurePrivateLinkPlan plan)
    {
        (string Name, string Description, string? Default)[] variables =
        [
            ($"{prefix}_resource_group_name", "The resource group of the private endpoints, zones and network security group.", null),
            ($"{prefix}_location", AzurePrivateLinkText.LocationDescription(plan), null),
            ($"{prefix}_subnet_id", AzurePrivateLinkText.SubnetDescription, null),
            ($"{prefix}_virtual_network_id", AzurePrivateLinkText.VirtualNetworkDescription, null),
            ($"{prefix}_request_message", AzurePrivateLinkText.RequestMessageDescription, AzurePrivateLinkText.DefaultRequestMessage),
        ];
        for (int i = 0; i < variables.Length; i++)
        {
            output.Write(i == 0 ? string.Empty : "\n");
            output.Write($"variable {HclString.Quote(variables[i].Name)} {{\n");
            var attributes = new List<(string Key, string Value)> { ("description", HclString.Quote(variables[i].Description)), ("type", "string") };
            if (variables[i].Default is string value)
            {
                attributes.Add(("default", HclString.Quote(value)));
            }

            HclWriter.WriteAttributes(output, "  ", attributes);
            output.Write("}\n");
        }
    }

    private void WriteZone(TextWriter output, PrivateZone zone, string prefix, string group)
    {
        string id = Identifier(zone.DnsName.Replace('.', '-'));
        output.Write($"\nresource \"azurerm_private_dns_zone\" {HclString.Quote(id)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [("name", HclString.Quote(zone.DnsName)), ("resource_group_name", group)]);
        output.Write($"}}\n\nresource \"azurerm_private_dns_zone_virtual_network_link\" {HclString.Quote(id)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [
            ("name", HclString.Quote(AzurePrivateLinkText.LinkName(options, zone))),
            ("resource_group_name", group),
            ("private_dns_zone_name", $"azurerm_private_dns_zone.{id}.name"),
            ("virtual_network_id", $"var.{prefix}_virtual_network_id"),
        ]);
        output.Write("}\n");
        foreach ((string name, string endpointKey) in zone.Records)
        {
            string record = $"{id}_{AzurePrivateLinkText.RecordWord(name)}";
            output.Write($"\nresource \"azurerm_private_dns_a_record\" {HclString.Quote(record)} {{\n");
            HclWriter.WriteAttributes(output, "  ", [
                ("name", HclString.Quote(name)),
                ("zone_name", $"azurerm_private_dns_zone.{id}.name"),
                ("resource_group_name", group),
                ("ttl", AzurePrivateLinkText.RecordTtl.ToString(CultureInfo.InvariantCulture)),
                ("records", $"[azurerm_private_endpoint.{Identifier(endpointKey)}.private_service_connection[0].private_ip_address]"),
            ]);
            output.Write("}\n");
        }
    }

    private void WriteNetworkSecurityGroup(TextWriter output, NsgPlan nsg, string prefix, string group, string location)
    {
        output.Write($"\nresource \"azurerm_network_security_group\" {HclString.Quote(prefix)} {{\n");
        HclWriter.WriteAttributes(output, "  ", [("name", HclString.Quote(options.NetworkSecurityGroup ?? options.Name)), ("location", location), ("resource_group_name", group)]);
        foreach (NsgRule rule in nsg.SecurityRules)
        {
            output.Write("\n  security_rule {\n");
            var attributes = new List<(string Key, string Value)> { ("name", HclString.Quote(rule.Name)) };
            attributes.AddRange(rule.Properties(options.Comments).Select(p => (SnakeCase(p.Key), p.Number is int number
                ? number.ToString(CultureInfo.InvariantCulture)
                : p.List is IReadOnlyList<string> list ? "[" + string.Join(", ", list.Select(HclString.Quote)) + "]" : HclString.Quote(p.Text!))));
            HclWriter.WriteAttributes(output, "    ", attributes);
            output.Write("  }\n");
        }

        output.Write("}\n");
    }

    // The ARM property names NsgRule gives, as azurerm spells them: destinationPortRange -> destination_port_range.
    private static string SnakeCase(string camel)
    {
        var snake = new StringBuilder(camel.Length + 4);
        foreach (char c in camel)
        {
            snake.Append(char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString());
        }

        return snake.ToString();
    }

    private string Identifier(string part) => $"{options.Name}_{part}".Replace('-', '_');
}
